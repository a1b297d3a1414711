/// `encrypted-document`: a password-protected PDF that reviewers cannot open.
enum EncryptedDocument: FileRule {
  static let code = Finding.Code.encryptedDocument

  static func check(_ file: RuleFile, of item: RuleItem, in context: RuleContext) -> [Finding] {
    guard file.problems.contains(.encrypted) else { return [] }
    return [
      Finding(
        Self.self, file.place,
        zh: "「\(file.name)」設有密碼保護，審查的老師和大學無法開啟。請取消密碼後重新上傳。",
        en: "\(file.place.file ?? file.name) is a password-protected PDF (/Encrypt); reviewers cannot open it.",
        evidence: Evidence(observed: "/Encrypt in the trailer", expected: "no password", source: file.parserName))
    ]
  }
}
