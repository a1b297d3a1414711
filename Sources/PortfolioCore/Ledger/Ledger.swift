import Foundation
import GRDB

/// The nightly run's memory, an SQLite database in the output folder (through GRDB).
///
/// Per file: its path, size, modification time, identity (inode, times), SHA-256, what the
/// inspection found, its verdict and findings; per content: when it was first seen; per
/// certified course-outcome file: the content the teacher certified. A second run over an
/// unchanged drop directory reads no file contents, only `stat`. Every update of one run is a
/// single transaction, so a run killed at any moment leaves the previous state intact.
public final class Ledger: Sendable {
  let queue: DatabaseQueue
  /// Inspections made by another build are not trusted (its parsers may differ): the stamp holds
  /// the SHA-256 of the running executable — bumped by every build, never by hand — and of the
  /// bundled policy table.
  public static let programStamp: String = {
    let build = ProgramIdentity.executableHash() ?? "unknown-build"
    let policies = (try? PolicyTable.bundled().contentHash) ?? "no-policies"
    return "portfolio \(PortfolioVersion.current) build \(build.prefix(16)) policies \(policies.prefix(16))"
  }()

  public init(path: String) throws {
    var configuration = Configuration()
    configuration.busyMode = .timeout(5)
    // SQLite's page cache at 512 KiB rather than 2 MiB: the ledger is written once a run, in
    // order, and read once; a bigger cache only adds to a school's peak memory. Temporary
    // tables (the run's paths while it is recorded) stay in memory: no temporary file in a
    // folder the run was not given (systemd's ProtectSystem, a read-only /tmp).
    configuration.prepareDatabase { db in
      try db.execute(sql: "PRAGMA cache_size = -512")
      try db.execute(sql: "PRAGMA temp_store = MEMORY")
    }
    queue = try DatabaseQueue(path: path, configuration: configuration)
    var migrator = DatabaseMigrator()
    migrator.registerMigration("v1") { db in
      try db.execute(
        sql: """
          CREATE TABLE file (
            path TEXT PRIMARY KEY,
            identity TEXT NOT NULL,
            bytes INTEGER NOT NULL,
            mtime INTEGER NOT NULL,
            sha256 TEXT NOT NULL,
            program TEXT NOT NULL,
            inspection TEXT NOT NULL,
            verdict TEXT NOT NULL,
            findings TEXT NOT NULL,
            checkedAt TEXT NOT NULL
          );
          CREATE TABLE content (
            sha256 TEXT PRIMARY KEY,
            firstSeenAt TEXT NOT NULL,
            firstSeenPath TEXT NOT NULL
          );
          CREATE TABLE certified (
            studentNumber TEXT NOT NULL,
            itemId TEXT NOT NULL,
            fileName TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            teacherId TEXT,
            certifiedAt TEXT,
            recordedAt TEXT NOT NULL,
            PRIMARY KEY (studentNumber, itemId, fileName)
          );
          CREATE TABLE run (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            finishedAt TEXT NOT NULL,
            files INTEGER NOT NULL,
            filesRead INTEGER NOT NULL,
            errors INTEGER NOT NULL,
            warnings INTEGER NOT NULL
          );
          """)
    }
    migrator.registerMigration("v2") { db in
      try db.execute(sql: "CREATE TABLE state (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    }
    try migrator.migrate(queue)
  }

  /// A value remembered between runs (the last complete run's fingerprint, its status).
  public func state(_ key: String) throws -> String? {
    try queue.read { db in try String.fetchOne(db, sql: "SELECT value FROM state WHERE key = ?", arguments: [key]) }
  }

  public func setState(_ values: [String: String]) throws {
    try queue.write { db in
      for (key, value) in values {
        try db.execute(
          sql: "INSERT INTO state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
          arguments: [key, value])
      }
    }
  }

  /// What earlier runs established, for the validator.
  public func memory() throws -> ValidationMemory {
    try queue.read { db in try Self.memory(db, students: nil) }
  }

  /// What earlier runs established about `students` (every student: `nil`), read through `db`.
  static func memory(_ db: Database, students: [String]?) throws -> ValidationMemory {
    var memory = ValidationMemory()
    let decoder = JSONDecoder()
    let columns = "SELECT path, identity, inspection, verdict, findings FROM file WHERE program = ?"
    func remember(_ rows: RowCursor) throws {
      while let row = try rows.next() {
        let text: String = row["inspection"]
        if let inspection = InspectionJSONReader.inspection(text)
          ?? (try? decoder.decode(FileInspection.self, from: Data(text.utf8)))
        {
          memory.remember(
            path: row["path"], identity: row["identity"], inspection: inspection,
            verdictKey: Self.verdictKey(row["verdict"], row["findings"]))
        }
      }
    }
    func certified(_ row: Row) -> ValidationMemory.CertifiedContent {
      ValidationMemory.CertifiedContent(
        studentNumber: row["studentNumber"], itemId: row["itemId"], fileName: row["fileName"], sha256: row["sha256"],
        teacherId: row["teacherId"], at: row["certifiedAt"])
    }
    guard let students else {
      // A row at a time (a school's rows fetched at once were tens of MB, for a moment).
      try remember(try Row.fetchCursor(db, sql: columns, arguments: [Self.programStamp]))
      memory.remember(try Row.fetchAll(db, sql: "SELECT * FROM certified").map(certified))
      return memory
    }
    // A student's files are the paths from `uploads/{number}/` up to `uploads/{number}0`
    // ("0" follows "/"): the primary key's index finds them.
    let files = try db.cachedStatement(sql: columns + " AND path >= ? AND path < ?")
    let rows = try db.cachedStatement(sql: "SELECT * FROM certified WHERE studentNumber = ?")
    var contents: [ValidationMemory.CertifiedContent] = []
    for number in students {
      try remember(
        try Row.fetchCursor(files, arguments: [Self.programStamp, "uploads/\(number)/", "uploads/\(number)0"]))
      contents += try Row.fetchAll(rows, arguments: [number]).map(certified)
    }
    memory.remember(contents)
    return memory
  }

  static func verdictKey(_ verdict: String, _ findings: String) -> String { verdict + "|" + findings }

  /// Records one run's results in a single transaction. Rows of files that were not read again
  /// and whose verdict did not change are left as they are.
  public func record(_ validation: Validation, at time: String, memory: ValidationMemory = ValidationMemory()) throws {
    try recording(at: time) { recorder in try recorder.add(validation, memory: memory) }
  }

  /// Records a run validated in parts (`PartedValidation`) in one transaction: `body` hands
  /// each part to the recorder as it comes (a run killed before `body` returns changes nothing).
  /// Rows of paths no part listed go at the end, with the run's row.
  func recording<Result>(at time: String, _ body: (inout LedgerRecorder) throws -> Result) throws -> Result {
    try queue.write { db in
      // A first run forgets nothing. Otherwise the run's paths wait in a temporary table
      // (SQLite's pages: ~2 MB at 4,800 students), a row at a time; both lists of a school's
      // paths as Swift strings were 9 MB at its peak.
      let forgets = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM file)") ?? false
      if forgets { try db.execute(sql: "CREATE TEMP TABLE seen (path TEXT PRIMARY KEY) WITHOUT ROWID") }
      var recorder = try LedgerRecorder(db: db, time: time, keepsSeen: forgets)
      let result = try body(&recorder)
      if forgets {
        try db.execute(sql: "DELETE FROM file WHERE path NOT IN (SELECT path FROM seen)")
        try db.execute(sql: "DROP TABLE seen")
      }
      try db.execute(
        sql: "INSERT INTO run (finishedAt, files, filesRead, errors, warnings) VALUES (?, ?, ?, ?, ?)",
        arguments: [time, recorder.files, recorder.filesRead, recorder.errors, recorder.warnings])
      return result
    }
  }

  /// The content of certified course outcomes, the first time it is seen certified.
  static func recordCertified(_ db: Database, _ validation: Validation, at time: String) throws {
    // SHA-256 by file, the first record's, of the items certified without a hash for every file.
    var unhashed: Set<ItemKey> = []
    for item in validation.scan.items {
      guard let manifest = item.manifest, manifest.kind == .courseOutcome,
        let certification = manifest.certification, certification.status == .passed,
        (certification.sha256?.count ?? 0) < manifest.files.count
      else { continue }
      unhashed.insert(ItemKey(studentNumber: item.studentNumber, itemId: manifest.itemId))
    }
    var records: [FileKey: String] = [:]
    for file in validation.files
    where unhashed.contains(ItemKey(studentNumber: file.studentNumber, itemId: file.itemId)) {
      let key = FileKey(
        item: ItemKey(studentNumber: file.studentNumber, itemId: file.itemId), fileName: file.originalName)
      if records[key] == nil { records[key] = file.sha256 }
    }
    for item in validation.scan.items {
      guard let manifest = item.manifest, manifest.kind == .courseOutcome, let certification = manifest.certification,
        certification.status == .passed
      else { continue }
      for (index, file) in manifest.files.enumerated() {
        let key = FileKey(
          item: ItemKey(studentNumber: item.studentNumber, itemId: manifest.itemId), fileName: file.name)
        let certified =
          certification.sha256.flatMap { index < $0.count ? $0[index].lowercased() : nil } ?? records[key]
        guard let certified else { continue }
        let content = ValidationMemory.CertifiedContent(
          studentNumber: item.studentNumber, itemId: manifest.itemId, fileName: file.name, sha256: certified,
          teacherId: certification.teacherId, at: certification.at)
        try certify(db, content, itemHasHashes: certification.sha256 != nil, at: time)
      }
    }
  }

  /// The first time a content was seen (for tests and reports).
  public func firstSeen(sha256: String) throws -> String? {
    try queue.read { db in
      try String.fetchOne(db, sql: "SELECT firstSeenAt FROM content WHERE sha256 = ?", arguments: [sha256])
    }
  }

  /// How many runs were recorded.
  public func runCount() throws -> Int {
    try queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM run") ?? 0 }
  }
}
