import Foundation
import GRDB

/// The rows of one run, written into the ledger's open transaction a validation (or a part of
/// one) at a time; `Ledger.recording` opens the transaction and ends it.
struct LedgerRecorder {
  private let db: Database
  private let time: String
  private let encoder: JSONEncoder
  private let see: Statement?
  private let insertFile: Statement
  private let insertContent: Statement
  /// The run's totals so far (its row in `run`).
  private(set) var files = 0
  private(set) var filesRead = 0
  private(set) var errors = 0
  private(set) var warnings = 0

  init(db: Database, time: String, keepsSeen: Bool) throws {
    (self.db, self.time) = (db, time)
    encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    see = keepsSeen ? try db.cachedStatement(sql: "INSERT OR IGNORE INTO seen (path) VALUES (?)") : nil
    // Prepared once for the run's tens of thousands of rows (`db.execute(sql:)` prepares anew).
    insertFile = try db.cachedStatement(
      sql: """
        INSERT INTO file (path, identity, bytes, mtime, sha256, program, inspection, verdict, findings, checkedAt)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT(path) DO UPDATE SET identity = excluded.identity, bytes = excluded.bytes, mtime = excluded.mtime,
          sha256 = excluded.sha256, program = excluded.program, inspection = excluded.inspection,
          verdict = excluded.verdict, findings = excluded.findings, checkedAt = excluded.checkedAt
        """)
    insertContent = try db.cachedStatement(
      sql: "INSERT OR IGNORE INTO content (sha256, firstSeenAt, firstSeenPath) VALUES (?, ?, ?)")
  }

  /// What the ledger remembered of `students` before this run (its rows of earlier parts of
  /// this run are other students').
  func memory(of students: [String]) throws -> ValidationMemory {
    try Ledger.memory(db, students: students)
  }

  /// Records the files, contents and certifications of `validation` (a whole run, or the next
  /// part of one), validated with `memory`.
  mutating func add(_ validation: Validation, memory: ValidationMemory) throws {
    files += validation.files.count
    filesRead += validation.filesRead
    errors += validation.findings.count { $0.severity == .error }
    warnings += validation.findings.count { $0.severity == .warning }
    // The codes on each file, in report order: each file's first finding, and each finding's
    // next on the same file (no array per file).
    var firstOn: [String: Int] = [:]
    var nextOn = [Int](repeating: -1, count: validation.findings.count)
    for (index, finding) in validation.findings.enumerated().reversed() {
      guard let file = finding.file else { continue }
      nextOn[index] = firstOn.updateValue(index, forKey: file) ?? -1
    }
    func codes(on path: String) -> [String] {
      var codes: [String] = []
      var index = firstOn[path] ?? -1
      while index >= 0 {
        codes.append(validation.findings[index].code.rawValue)
        index = nextOn[index]
      }
      return codes
    }
    if let see {
      for record in validation.files { try see.execute(arguments: [record.path]) }
    }
    // One row per path, the first record's: only one item can list a path (its folder; and
    // item.json naming a file twice is refused as bad metadata), and an item's records are
    // together, so the paths of one item at a time are enough.
    var recorded: (item: Int32, paths: Set<String>) = (-1, [])
    for (position, record) in validation.files.enumerated() {
      guard let kept = validation.files.inspection(at: position) else { continue }
      if kept.item != recorded.item { recorded = (kept.item, []) }
      guard recorded.paths.insert(record.path).inserted,
        let scanned = validation.scan.items.at(Int(kept.item))?.files.at(Int(kept.file))
      else { continue }
      let findings = String(decoding: try encoder.encode(codes(on: record.path)), as: UTF8.self)
      if let previous = memory.remembered(record.path), previous.stamp == scanned.stamp,
        previous.verdictKey == Ledger.verdictKey(record.verdict.rawValue, findings)
      {
        continue  // unchanged file, unchanged verdict
      }
      let inspectionJSON = String(decoding: try encoder.encode(kept.inspection), as: UTF8.self)
      try insertFile.execute(
        arguments: [
          record.path, scanned.identity, record.bytes, scanned.mtime, record.sha256, Ledger.programStamp,
          inspectionJSON, record.verdict.rawValue, findings, time,
        ])
      try insertContent.execute(arguments: [record.sha256, time, record.path])
    }
    try Ledger.recordCertified(db, validation, at: time)
  }
}
