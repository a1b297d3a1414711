/// `not-certified`: a course outcome going to the central database that is not certified
/// `passed` (selected in a drop; every outcome of a central package).
enum NotCertified: ItemRule {
  static let code = Finding.Code.notCertified

  static func check(_ item: RuleItem, of student: RuleStudent, in context: RuleContext) -> [Finding] {
    guard item.kind == .courseOutcome, context.submits(item), let certification = item.certification,
      certification.status != .passed, student.record != nil || !context.isDrop
    else { return [] }
    let state = certification.status == .pending ? "還沒有通過老師認證" : "被老師退回了"
    let reason = certification.reason.map { "（老師說明：\($0)）" } ?? ""
    return [
      Finding(
        Self.self, item.place,
        zh: "你勾選了課程學習成果\(item.label)要送出，但它\(state)\(reason)。只有認證通過的成果可以勾選；"
          + (certification.status == .pending
            ? "請等老師認證，或改選其他成果。" : "請依老師的說明修改後重新上傳、再請老師認證，或改選其他成果。"),
        en: "\(item.id): selected for submission but certification is \(certification.status.rawValue).",
        evidence: Evidence(
          observed: "certification \(certification.status.rawValue)", expected: "certification passed",
          source: context.isDrop ? "item.json" : "manifest.xml"),
        details: ["status": certification.status.rawValue])
    ]
  }
}
