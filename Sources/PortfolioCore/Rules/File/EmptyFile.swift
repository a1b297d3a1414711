/// `empty-file`: zero bytes; the upload probably failed.
enum EmptyFile: FileRule {
  static let code = Finding.Code.emptyFile

  static func check(_ file: RuleFile, of item: RuleItem, in context: RuleContext) -> [Finding] {
    guard file.inspection.bytes == 0 else { return [] }
    return [
      Finding(
        Self.self, file.place,
        zh: "「\(file.name)」是空檔案（0 位元組），可能上傳時中斷了。請重新上傳。",
        en: "\(file.place.file ?? file.name) is empty (0 bytes); the upload probably failed. "
          + "Ask the student to upload it again.",
        evidence: Evidence(observed: "0 bytes", expected: "at least 1 byte", source: "fstat"))
    ]
  }
}
