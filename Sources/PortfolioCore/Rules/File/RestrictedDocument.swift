/// `restricted-document` (warning): a PDF that opens without a password but carries an owner
/// password. Reviewers can read it; its content was decrypted and checked like any other.
enum RestrictedDocument: FileRule {
  static let code = Finding.Code.restrictedDocument

  static func check(_ file: RuleFile, of item: RuleItem, in context: RuleContext) -> [Finding] {
    guard file.problems.contains(.restricted) else { return [] }
    return [
      Finding(
        Self.self, file.place,
        zh: "「\(file.name)」可以開啟，但設有「權限密碼」（可能限制列印或複製）。檔案可以使用；"
          + "若審查者需要列印，請在原本的程式取消權限密碼後重新匯出。",
        en: "\(file.place.file ?? file.name) opens without a password but has an owner password (/Encrypt); "
          + "decrypted with the empty user password and checked; accepted.",
        evidence: Evidence(
          observed: "/Encrypt, opened with the empty user password", expected: "no encryption",
          source: file.parserName))
    ]
  }
}
