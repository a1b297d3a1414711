/// `duplicate-file` (warning): the same content uploaded twice by the same student (advice at
/// upload time, so drop directories only).
enum DuplicateFile: StudentRule {
  static let code = Finding.Code.duplicateFile

  static func check(_ student: RuleStudent, in context: RuleContext) -> [Finding] {
    guard context.isDrop else { return [] }
    // sha256 → where the first file with that content is (its item and file, by position)
    var first: [String: (item: Int, file: Int)] = [:]
    var findings: [Finding] = []
    for (itemIndex, item) in student.items.enumerated() {
      // A file over every limit is not hashed (its empty hash says nothing about its content).
      for (fileIndex, file) in item.files.enumerated()
      where file.inspection.bytes > 0 && !file.inspection.sha256.isEmpty {
        guard let seen = first[file.inspection.sha256] else {
          first[file.inspection.sha256] = (itemIndex, fileIndex)
          continue
        }
        let path = file.place.file ?? file.name
        let earlierItem = student.items[seen.item]
        let earlierFile = earlierItem.files[seen.file]
        let earlier = earlierFile.place.file ?? earlierFile.name
        // The other file by the names the student knows: its item (unless it is this one) and file.
        let other =
          earlierItem.id == item.id
          ? "同一筆作品裡的「\(earlierFile.place.label)」"
          : "\(earlierItem.kind.zh)\(earlierItem.label)的「\(earlierFile.place.label)」"
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
