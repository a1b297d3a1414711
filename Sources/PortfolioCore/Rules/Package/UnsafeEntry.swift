/// `unsafe-entry`: an entry name that could escape the archive root or breaks the layout
/// (`..`, absolute, backslash, NUL, drive letter, symlink, outside `files/{itemId}/{n}.{ext}`),
/// or a name that holds the student's ID number.
enum UnsafeEntry: FindingRule {
  static let code = Finding.Code.unsafeEntry

  static func unsafe(_ place: PackagePlace, reason: String) -> Finding {
    Finding(
      Self.self, place, zh: "含有不安全的項目名稱，拒絕處理。", en: "unsafe entry: \(reason)",
      evidence: Evidence(observed: reason, expected: "files/{itemId}/{n}.{ext} or manifest.xml", source: "entry name"),
      details: ["reason": reason])
  }

  static func idNumberInName(_ place: PackagePlace) -> Finding {
    Finding(
      Self.self, place, zh: "檔名或項目名稱含有身分證明號碼，違反個資保護。",
      en: "an entry name or the package name holds the student's ID number",
      evidence: Evidence(
        observed: "the ID number in a name", expected: "no ID number in any name", source: "entry names"))
  }
}
