/// `too-large`: over the inclusive limit of the item's own policy year (never the day the
/// pipeline runs). The message gives the size, the limit and the policy.
enum TooLarge: FileRule {
  static let code = Finding.Code.tooLarge

  static func check(_ file: RuleFile, of item: RuleItem, in context: RuleContext) -> [Finding] {
    let policy = context.policy(for: item)
    let bytes = file.inspection.bytes
    let limit = policy.limit(role: file.role, kind: item.kind)
    guard bytes > limit else { return [] }
    let word = ContentNames.kindWord(file.inspection.mime, role: file.role)
    let year = item.academicYear
    let over = bytes - limit
    let consultation = item.kind == .consultation ? "諮詢紀錄" : ""
    let action = file.role == .media ? "請壓縮（例如降低解析度或剪短）後重新上傳" : "請壓縮或降低解析度後重新上傳"
    return [
      Finding(
        Self.self, file.place,
        zh: "\(consultation)\(word)「\(file.name)」\(SizeText.mb(bytes))，超過 \(year) 學年度上限 \(SizeText.mb(limit))"
          + "（多了 \(SizeText.mb(over))），\(action)。",
        en: "\(file.place.file ?? file.name): \(bytes) bytes exceeds the \(limit)-byte (\(SizeText.mb(limit))) limit "
          + "for a \(item.kind == .consultation ? "consultation " : "")\(file.role.rawValue) of academic year \(year)"
          + "\(item.term.map { " term \($0)" } ?? "") under policy \(policy.id), by \(over) bytes.",
        evidence: Evidence(observed: "\(bytes) bytes", expected: "at most \(limit) bytes", source: policy.id),
        details: [
          "bytes": String(bytes), "limit": String(limit), "over": String(over), "policy": policy.id,
          "academicYear": String(year),
        ])
    ]
  }
}
