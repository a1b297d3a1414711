/// `import-conflict` (import): an item folder of the same id already holds different content;
/// nothing of the package is written.
enum ImportConflict: FindingRule {
  static let code = Finding.Code.importConflict

  static func finding(package name: String, number: String, itemId: String) -> Finding {
    Finding(
      Self.self, FindingPlace(file: name), zh: "轉入封包「\(name)」：本校已有編號 \(itemId) 但內容不同的作品，為避免覆蓋，整個封包不匯入。",
      en: "\(name): uploads/\(number)/\(itemId) already exists with different content; nothing was imported",
      evidence: Evidence(
        observed: "uploads/\(number)/\(itemId) differs", expected: "absent or the same content",
        source: "drop directory"))
  }
}
