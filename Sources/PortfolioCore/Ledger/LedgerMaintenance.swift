import Foundation
import GRDB

/// The ledger's own health and copies: what `LedgerStore` needs from the database.
extension Ledger {
  /// `PRAGMA quick_check`: "ok" for a sound database (throws when SQLite cannot even read it).
  public func quickCheck() throws -> String {
    try queue.read { db in try String.fetchAll(db, sql: "PRAGMA quick_check").joined(separator: "; ") }
  }

  /// An online backup (SQLite's backup API through GRDB) into a new database at `path`.
  func backup(to path: String) throws {
    let destination = try DatabaseQueue(path: path)
    try queue.backup(to: destination)
    try destination.close()
  }

  /// Forgets every inspection and the skip state, keeping what teachers certified: the next
  /// run reads every file again.
  func forgetInspections() throws {
    try queue.write { db in
      try db.execute(sql: "DELETE FROM file")
      try db.execute(sql: "DELETE FROM state")
    }
  }

  /// Every certified file the ledger remembers, in a stable order.
  public func certifiedContent() throws -> [ValidationMemory.CertifiedContent] {
    try queue.read { db in
      try Row.fetchAll(db, sql: "SELECT * FROM certified ORDER BY studentNumber, itemId, fileName").map { row in
        ValidationMemory.CertifiedContent(
          studentNumber: row["studentNumber"], itemId: row["itemId"], fileName: row["fileName"],
          sha256: row["sha256"], teacherId: row["teacherId"], at: row["certifiedAt"])
      }
    }
  }

  /// Adds certified content (from `certified.csv`), newer certifications replacing older ones.
  func remember(_ contents: [ValidationMemory.CertifiedContent], at time: String) throws {
    try queue.write { db in
      for content in contents { try Self.certify(db, content, itemHasHashes: true, at: time) }
    }
  }

  /// Records one certified file. A row already there is replaced only by a newer
  /// certification: a later `at`, or a different hash that item.json itself records (a
  /// teacher certified a corrected file); otherwise the first certified content stays.
  static func certify(
    _ db: Database, _ content: ValidationMemory.CertifiedContent, itemHasHashes: Bool, at time: String
  ) throws {
    // Cached statements: a school certifies thousands of files, each prepared once per run.
    let existing = try Row.fetchOne(
      db.cachedStatement(
        sql: "SELECT sha256, certifiedAt FROM certified WHERE studentNumber = ? AND itemId = ? AND fileName = ?"),
      arguments: [content.studentNumber, content.itemId, content.fileName])
    if let existing {
      let sha: String = existing["sha256"]
      let before = (existing["certifiedAt"] as String?).flatMap(Self.instant)
      let newer = content.at.flatMap(Self.instant).map { now in before.map { now > $0 } ?? true } ?? false
      guard sha != content.sha256, newer || itemHasHashes else { return }
    }
    try db.cachedStatement(
      sql: """
        INSERT INTO certified (studentNumber, itemId, fileName, sha256, teacherId, certifiedAt, recordedAt)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT(studentNumber, itemId, fileName) DO UPDATE SET sha256 = excluded.sha256,
          teacherId = excluded.teacherId, certifiedAt = excluded.certifiedAt, recordedAt = excluded.recordedAt
        """
    ).execute(
      arguments: [
        content.studentNumber, content.itemId, content.fileName, content.sha256, content.teacherId, content.at, time,
      ])
  }

  static func instant(_ text: String) -> Date? { Timestamps.parse(text, timeZone: SchoolSettings.defaultTimeZone) }
}
