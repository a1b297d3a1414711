/// `trailing-data` (warning): bytes after the format's end that the file does not declare and
/// that are no known format. Viewers ignore them; the file is accepted and packaged as it is.
enum TrailingData: FileRule {
  static let code = Finding.Code.trailingData

  static func check(_ file: RuleFile, of item: RuleItem, in context: RuleContext) -> [Finding] {
    file.problems.compactMap { problem in
      guard case .trailingData(let what) = problem else { return nil }
      return Finding(
        Self.self, file.place,
        zh: "「\(file.name)」的檔案結尾後面多了一些不屬於這個檔案的資料。檔案可以使用，不影響送出；"
          + "若想保險，可以用原本的程式重新存檔或匯出一次。",
        en: "\(file.place.file ?? file.name): \(what); accepted, not packaged differently.",
        evidence: Evidence(
          observed: what, expected: "nothing after the end, or a declared trailer", source: file.parserName),
        details: ["reason": what])
    }
  }
}
