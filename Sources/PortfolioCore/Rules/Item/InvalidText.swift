/// `invalid-text`: a control character or non-character in a text field, or a file or folder
/// name that is not valid UTF-8.
enum InvalidText: ItemRule {
  static let code = Finding.Code.invalidText

  static func check(_ item: RuleItem, of student: RuleStudent, in context: RuleContext) -> [Finding] {
    var findings: [Finding] = []
    func look(_ field: String, _ value: String?, multiline: Bool) {
      guard let value, let bad = TextRules.forbiddenScalar(in: value, multiline: multiline) else { return }
      findings.append(finding(item, field: field, bad))
    }
    // Summaries and return reasons may run over several lines; every other field is one line.
    look("title", item.title, multiline: false)
    look("summary", item.summary, multiline: true)
    // Every listed file's name, inspected or not.
    for file in item.manifest.files { look("files.name", file.name, multiline: false) }
    look("details.organizer", item.details?.organizer?.text, multiline: false)
    look("details.award", item.details?.award?.text, multiline: false)
    look("certification.reason", item.certification?.reason, multiline: true)
    return findings
  }

  /// The finding for the character `bad` in `field`.
  private static func finding(_ item: RuleItem, field: String, _ bad: Unicode.Scalar) -> Finding {
    let shown = TextRules.codePoint(bad)
    let what = ["title": "標題", "summary": "簡述", "files.name": "檔名"][field] ?? "資料"
    let lineBreak = TextRules.isLineBreakOrTab(bad)
    return Finding(
      Self.self, item.place,
      zh: lineBreak
        ? "作品\(item.label)的\(what)含有換行或定位字元，這一欄只能是一行文字，請重新輸入後再送出。"
        : "作品\(item.label)的\(what)含有看不見的控制字元，請重新輸入文字後再送出。",
      en: lineBreak
        ? "\(item.id): \(field) holds \(shown) (a line break or tab); the field is one line."
        : "\(item.id): \(field) holds \(shown), a control or non-character.",
      evidence: Evidence(observed: shown, expected: "printable text", source: "item.json \(field)"),
      details: ["field": field, "codePoint": shown])
  }

  /// A file or folder name that is not valid UTF-8: the entry is never opened.
  static func invalidName(_ place: FindingPlace) -> Finding {
    Finding(
      Self.self, place,
      zh: "有一個檔名含有無法辨識的文字編碼（\(place.label)），系統不會讀取。請把檔名改成一般中英文後重新上傳。",
      en: "The name \(place.file ?? place.label) is not valid UTF-8; the entry was not opened. "
        + "Rename it (or have the student re-upload with a plain name).",
      evidence: Evidence(observed: place.file ?? place.label, expected: "a UTF-8 name", source: "directory listing"),
      details: ["reason": "file name is not valid UTF-8"])
  }
}
