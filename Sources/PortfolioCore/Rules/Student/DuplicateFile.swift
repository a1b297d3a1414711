/// `duplicate-file` (warning): the same content uploaded twice by the same student (advice at
/// upload time, so drop directories only).
enum DuplicateFile: StudentRule {
  static let code = Finding.Code.duplicateFile

  static func check(_ student: RuleStudent, in context: RuleContext) -> [Finding] {
    guard context.isDrop else { return [] }
    // sha256 → the first path with that content, and its item and file as the student names them
    var first: [String: (String, (item: String, itemName: String, file: String))] = [:]
    var findings: [Finding] = []
    for item in student.items {
      // A file over every limit is not hashed (its empty hash says nothing about its content).
      for file in item.files where file.inspection.bytes > 0 && !file.inspection.sha256.isEmpty {
        let path = file.place.file ?? file.name
        guard let (earlier, seen) = first[file.inspection.sha256] else {
          first[file.inspection.sha256] = (path, (item.id, "\(item.kind.zh)\(item.label)", file.place.label))
          continue
        }
        // The other file by the names the student knows: its item (unless it is this one) and file.
        let other = seen.item == item.id ? "同一筆作品裡的「\(seen.file)」" : "\(seen.itemName)的「\(seen.file)」"
        findings.append(
          Finding(
            Self.self, file.place,
            zh: "「\(file.place.label)」和你上傳在\(other)內容完全相同。若是重複上傳，可以刪除其中一個。",
            en: "\(path) has the same content as \(earlier).",
            evidence: Evidence(
              observed: "SHA-256 \(file.inspection.sha256)", expected: "content unlike \(earlier)", source: "SHA-256"),
            details: ["sameAs": earlier]))
      }
    }
    return findings
  }
}
