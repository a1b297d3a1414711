/// `polyglot`: a second, different file format really present in the file.
enum Polyglot: FileRule {
  static let code = Finding.Code.polyglot

  static func check(_ file: RuleFile, of item: RuleItem, in context: RuleContext) -> [Finding] {
    file.problems.compactMap { problem in
      guard case .polyglot(let reason) = problem else { return nil }
      return Finding(
        Self.self, file.place,
        zh: "「\(file.name)」裡面藏有另一個檔案，基於安全不能接受。請重新匯出一份乾淨的檔案後上傳。",
        en: "\(file.place.file ?? file.name) hides a second format: \(reason).",
        evidence: Evidence(observed: reason, expected: "only \(file.formatName) data", source: file.parserName),
        details: ["reason": reason])
    }
  }
}
