/// `identical-to-certified` (warning, for staff): a file of an outcome not (yet) certified
/// whose content a teacher already certified — a re-upload after a loss, as in 2021: the
/// certification can be restored instead of asking the teacher again.
enum IdenticalToCertified: FileRule {
  static let code = Finding.Code.identicalToCertified

  static func check(_ file: RuleFile, of item: RuleItem, in context: RuleContext) -> [Finding] {
    guard context.isDrop, item.kind == .courseOutcome, file.inspection.bytes > 0,
      item.certification?.status != .passed, let student = file.place.studentNumber,
      let match = context.memory.certifiedContent(of: student, sha256: file.inspection.sha256)
    else { return [] }
    let when = match.at ?? "earlier"
    let sha = file.inspection.sha256
    return [
      Finding(
        Self.self, file.place,
        zh: "「\(file.name)」和老師（\(match.teacherId ?? "授課老師")）在 \(when) 認證通過的版本完全相同。"
          + "學校可以據此恢復認證，不必請老師重新認證。",
        en: "\(file.place.file ?? file.name) is identical (SHA-256 \(sha.prefix(12))…) to "
          + "\(match.itemId)/\(match.fileName), certified by \(match.teacherId ?? "the teacher") at \(when); "
          + "the certification can be restored.",
        evidence: Evidence(
          observed: "SHA-256 \(sha)", expected: "certified \(match.itemId)/\(match.fileName)", source: "ledger"),
        details: [
          "certifiedItem": match.itemId, "certifiedFile": match.fileName, "certifiedAt": when,
          "teacherId": match.teacherId ?? "",
        ])
    ]
  }
}
