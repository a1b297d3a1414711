import Foundation
import GRDB
import Testing

@testable import PortfolioCore

/// The ledger's memory is built in one pass: 20,000 certified course outcomes (a large school's
/// three years) are indexed once, not once per row (which was about 10^8 insertions).
@Suite struct LedgerMemoryScaleTests {
  @Test func twentyThousandCertifiedFilesAreRememberedAndFoundByContent() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let ledger = try Ledger(path: folder + "/ledger.sqlite")
    let queue = try DatabaseQueue(path: folder + "/ledger.sqlite")
    try queue.write { db in
      for index in 0..<20_000 {
        // 4,000 students × 5 files; the files of items 3 and 1 of each student share one content.
        let student = String(110_000 + index / 5)
        let item = "co-112-1-\(String(format: "%04d", 5 - index % 5))"
        let content = index % 5 == 2 || index % 5 == 4 ? "shared\(student)" : "own\(index)"
        try db.execute(
          sql: """
            INSERT INTO certified (studentNumber, itemId, fileName, sha256, teacherId, certifiedAt, recordedAt)
            VALUES (?, ?, 'a.pdf', ?, 'T1', '2023-10-01T10:00:00+08:00', '2023-10-02T00:00:00Z')
            """, arguments: [student, item, content])
      }
    }
    let memory = try ledger.memory()
    #expect(memory.certified.count == 20_000)
    // Of the two certified files with the shared content, the first by item id.
    let found = memory.certifiedContent(of: "110123", sha256: "shared110123")
    #expect(found?.itemId == "co-112-1-0001")
    #expect(memory.certifiedContent(of: "110123", sha256: "shared110124") == nil)
    #expect(memory.certifiedContent(of: "110123", sha256: "own615")?.itemId == "co-112-1-0005")
  }
}
