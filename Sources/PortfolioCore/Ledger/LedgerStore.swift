import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// What opening the ledger found and did — for the report, the log and the terminal.
public struct LedgerHealth: Sendable, Equatable {
  public enum State: String, Sendable {
    /// The ledger passed `PRAGMA quick_check`.
    case healthy
    /// There was no ledger yet.
    case new
    /// The ledger was corrupt: moved aside, the newest good backup restored.
    case restored
    /// The ledger was corrupt and no backup was good: rebuilt from `certified.csv`.
    case rebuilt
  }

  public var state: State
  /// What happened and what may be missing, in English for staff (empty when healthy or new).
  public var notes: [String] = []
}

/// Opens, checks, backs up and recovers the ledger of an output folder, the way SQLite's own
/// advice goes: check it at start (`PRAGMA quick_check`), keep online backups of good states,
/// and on corruption move the bad file aside (never delete it), restore the newest good
/// backup, and let the run read every file again. What teachers certified is also kept as a
/// plain `certified.csv`, so it survives the loss of every backup.
public enum LedgerStore {
  public static let fileName = "ledger.sqlite"
  public static let backupFolder = "ledger-backups"
  public static let certifiedFile = "certified.csv"
  /// How many backups are kept (the newest).
  public static let backupsKept = 7

  /// The ledger of `folder`, recovered if it had to be.
  /// The ledger holds students' names and numbers: owner-only (0600), as its backups.
  public static func open(folder: String, now: Date) throws -> (Ledger, LedgerHealth) {
    let opened = try openOrRecover(folder: folder, now: now)
    let path = folder + "/" + fileName
    for suffix in ["", "-journal", "-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
      try AtomicFile.makePrivate(path + suffix)
    }
    return opened
  }

  private static func openOrRecover(folder: String, now: Date) throws -> (Ledger, LedgerHealth) {
    let path = folder + "/" + fileName
    guard FileManager.default.fileExists(atPath: path) else {
      return (try Ledger(path: path), LedgerHealth(state: .new))
    }
    if let ledger = sound(path) { return (ledger, LedgerHealth(state: .healthy)) }
    let stamp = fileStamp(Date())
    let aside = path + ".corrupt-" + stamp
    for suffix in ["", "-journal", "-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
      guard rename(path + suffix, aside + suffix) == 0 else {
        throw SystemError(call: "rename", path: path + suffix, errno: errno)
      }
    }
    var notes = ["the ledger failed its integrity check; the damaged file was kept as \(aside)"]
    let (ledger, state) = try restoreOrRebuild(folder: folder, path: path, notes: &notes)
    try ledger.forgetInspections()
    notes.append("every file is read again this run (inspections of the damaged ledger are not trusted)")
    return (ledger, LedgerHealth(state: state, notes: notes))
  }

  /// The ledger at `path` when it opens and passes `quick_check`; `nil` when it is damaged.
  static func sound(_ path: String) -> Ledger? {
    // A 0-byte file is a database SQLite created but a killed run never wrote: empty, not damaged.
    guard let ledger = try? Ledger(path: path), (try? ledger.quickCheck()) == "ok"
    else { return nil }
    return ledger
  }

  private static func restoreOrRebuild(folder: String, path: String, notes: inout [String]) throws -> (
    Ledger, LedgerHealth.State
  ) {
    let certified = readCertified(folder)
    for backup in backups(folder) {
      let candidate = path + ".restoring-\(getpid())"
      unlink(candidate)
      guard (try? FileManager.default.copyItem(atPath: backup, toPath: candidate)) != nil, sound(candidate) != nil
      else {
        unlink(candidate)
        notes.append("backup \(backup) is damaged too; skipped")
        continue
      }
      guard rename(candidate, path) == 0 else { throw SystemError(call: "rename", path: path, errno: errno) }
      let ledger = try Ledger(path: path)
      try ledger.remember(certified, at: isoNow())
      notes.append(
        "restored the newest good backup \(backup); runs after it are missing from the run history, and "
          + "certifications after it were taken from \(certifiedFile) (\(certified.count) files)")
      return (ledger, .restored)
    }
    let ledger = try Ledger(path: path)
    try ledger.remember(certified, at: isoNow())
    notes.append(
      certified.isEmpty
        ? "no good backup and no \(certifiedFile): started a new ledger; certified content only item.json records is lost"
        : "no good backup: started a new ledger with the \(certified.count) certified files of \(certifiedFile)")
    return (ledger, .rebuilt)
  }

  /// After a complete run: an online backup (the newest `backupsKept` kept) and `certified.csv`.
  public static func afterRun(_ ledger: Ledger, folder: String) throws {
    let backups = folder + "/" + backupFolder
    try AtomicFile.makePrivateFolder(backups)
    let name = "ledger-\(fileStamp(Date()))-\(getpid()).sqlite"
    let temporary = backups + "/." + name + ".tmp-\(getpid())"
    unlink(temporary)
    try ledger.backup(to: temporary)
    try AtomicFile.makePrivate(temporary)
    guard rename(temporary, backups + "/" + name) == 0 else {
      throw SystemError(call: "rename", path: backups + "/" + name, errno: errno)
    }
    for old in self.backups(folder).dropFirst(backupsKept) { unlink(old) }
    AtomicFile.syncFolder(backups)
    try AtomicFile.write(try certifiedCSV(ledger.certifiedContent()), to: folder + "/" + certifiedFile)
  }

  /// The backups of `folder`, newest first (only the names this program writes).
  static func backups(_ folder: String) -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder + "/" + backupFolder)) ?? []
    return names.filter {
      $0.range(of: #"^ledger-[0-9]{8}T[0-9]{9}Z-[0-9]+\.sqlite$"#, options: .regularExpression) != nil
    }
    .sorted(by: >).map { folder + "/" + backupFolder + "/" + $0 }
  }

  static let certifiedColumns = ["studentNumber", "itemId", "fileName", "sha256", "teacherId", "certifiedAt"]

  static func certifiedCSV(_ contents: [ValidationMemory.CertifiedContent]) throws -> [UInt8] {
    var csv = CSVRows(newline: .lf)
    csv.append(certifiedColumns)
    for content in contents {
      csv.append([
        content.studentNumber, content.itemId, content.fileName, content.sha256, content.teacherId ?? "",
        content.at ?? "",
      ])
    }
    return csv.bytes
  }

  /// The certified content `certified.csv` holds (nothing when it is absent or unreadable).
  static func readCertified(_ folder: String) -> [ValidationMemory.CertifiedContent] {
    guard
      let table = try? CSVTable.read(drop: folder, name: certifiedFile, required: certifiedColumns, optional: true)
    else { return [] }
    return table.rows.compactMap { row in
      guard let student = row["studentNumber"], let item = row["itemId"], let file = row["fileName"],
        let sha = row["sha256"], sha.count == 64
      else { return nil }
      let teacher = row["teacherId"].flatMap { $0.isEmpty ? nil : $0 }
      let at = row["certifiedAt"].flatMap { $0.isEmpty ? nil : $0 }
      return ValidationMemory.CertifiedContent(
        studentNumber: student, itemId: item, fileName: file, sha256: sha, teacherId: teacher, at: at)
    }
  }

  /// `20261202T163000123Z`: sorts in time order.
  static func fileStamp(_ date: Date) -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "yyyyMMdd'T'HHmmssSSS'Z'"
    return formatter.string(from: date)
  }

  static func isoNow() -> String { SchoolClock.timestamp(Date(), in: SchoolSettings.defaultTimeZone) }
}
