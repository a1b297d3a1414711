/// `corrupt-file`: truncated or structurally broken; the parser's reason is the evidence.
enum CorruptFile: FileRule {
  static let code = Finding.Code.corruptFile

  static func check(_ file: RuleFile, of item: RuleItem, in context: RuleContext) -> [Finding] {
    file.problems.compactMap { problem in
      guard case .corrupt(let reason) = problem else { return nil }
      return Finding(
        Self.self, file.place,
        zh: "「\(file.name)」檔案已損毀或不完整，打不開。請用原始檔重新存檔（或重新匯出）後上傳。",
        en: "\(file.place.file ?? file.name) is corrupt: \(reason).",
        evidence: Evidence(observed: reason, expected: "a complete \(file.formatName)", source: file.parserName),
        details: ["reason": reason])
    }
  }
}

extension RuleFile {
  /// The structural problems the format parser found.
  var problems: [ContentProblem] { inspection.facts?.problems ?? [] }

  /// The parser that judged the structure, as evidence names it.
  var parserName: String { "\(formatName) parser" }

  var formatName: String {
    switch ContentType(mime: inspection.mime) {
    case .pdf: "PDF"
    case .jpeg: "JPEG"
    case .png: "PNG"
    case .mp3: "MP3"
    case .mp4: "MP4"
    case nil: inspection.mime
    }
  }
}
