/// `embedded-content`: a PDF with attached files — an error for course outcomes (their content
/// must not change), a warning for other documents.
enum EmbeddedContent: FileRule {
  static let code = Finding.Code.embeddedContent

  static func check(_ file: RuleFile, of item: RuleItem, in context: RuleContext) -> [Finding] {
    guard file.problems.contains(.embeddedFiles) else { return [] }
    let path = file.place.file ?? file.name
    let evidence = Evidence(
      observed: "an /EmbeddedFiles name tree or a /FileAttachment annotation", expected: "no attachments",
      source: file.parserName)
    if item.kind == .courseOutcome {
      return [
        Finding(
          Self.self, file.place,
          zh: "「\(file.name)」的 PDF 裡夾帶了其他檔案（附件）。課程學習成果認證後不能改變，請移除附件後重新匯出 PDF 上傳。",
          en: "\(path) is a course-outcome PDF with attached files (/EmbeddedFiles or /FileAttachment); refused.",
          evidence: evidence)
      ]
    }
    return [
      Finding(
        Self.self, file.place,
        zh: "「\(file.name)」的 PDF 裡夾帶了其他檔案（附件），審查者可能看不到附件內容，建議移除附件後重新匯出。",
        en:
          "\(path) is a PDF with attached files (/EmbeddedFiles or /FileAttachment); accepted with a warning outside course outcomes.",
        evidence: evidence, severity: .warning)
    ]
  }
}
