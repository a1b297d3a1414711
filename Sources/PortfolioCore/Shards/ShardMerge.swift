import Foundation

/// `portfolio merge`: checks that a set of shard outputs is one complete run, then writes the
/// outputs one unsharded run writes — report.json, rejections.csv, the notices, the staff report
/// and packages.csv — with the same writers, so they are the same bytes. Packages stay where
/// their shard wrote them; the merge only lists them.
public struct ShardMerge {
  public let folders: [String]
  public let date: Date

  public init(folders: [String], date: Date) {
    self.folders = folders
    self.date = date
  }

  /// What the merge wrote and how the run ended.
  public struct Outcome: Sendable {
    public var shards: Int
    public var status: Int32
    public var lines: [String]
  }

  /// Every shard result, checked to be one complete run, in shard order.
  public func load() throws(MergeError) -> [ShardResult] {
    guard !folders.isEmpty else { throw .noShards }
    var results: [(folder: String, result: ShardResult)] = []
    // The findings' words wait in a file without a name in the first shard's folder (the run's
    // own output; nothing shows there, nothing stays), not in memory.
    let spool = try? TextSpool(folder: folders[0])
    for folder in folders {
      results.append((folder, try ShardResult.read(folder: folder, spool: spool)))
      HeapTrim.release()  // what decoding one shard needed, back before the next
    }
    let (reference, first) = results[0]
    var seen: [Int: String] = [:]
    for (folder, result) in results {
      let checks: [(String, Bool)] = [
        ("shard count (\(result.shard.count), not \(first.shard.count))", result.shard.count == first.shard.count),
        ("program or policy table (\(result.program))", result.program == first.program),
        ("drop directory (\(result.drop))", result.drop == first.drop),
        (
          "drop fingerprint (the drop changed between the shards: run them again)",
          result.dropFingerprint == first.dropFingerprint
        ),
        (
          "pipeline (\(result.pipeline): \(result.stages.joined(separator: "; ")))",
          result.pipeline == first.pipeline && result.stages == first.stages
        ),
      ]
      if let failed = checks.first(where: { !$0.1 }) { throw .mismatch(failed.0, folder, reference) }
      if let earlier = seen[result.shard.index] { throw .twice(result.shard, earlier, folder) }
      seen[result.shard.index] = folder
    }
    let missing = (0..<first.shard.count).filter { seen[$0] == nil }
    if !missing.isEmpty { throw .missing(count: first.shard.count, indices: missing) }
    return results.map(\.result).sorted { $0.shard.index < $1.shard.index }
  }

  /// Writes the merged outputs into `out` (under temporary names, renamed when complete).
  public func write(into out: String) throws -> Outcome {
    var results = try load()
    let lock = try OutputLock(folder: out)
    defer { withExtendedLifetime(lock) {} }
    AtomicFile.removeStaleTemporaries(in: out)
    AtomicFile.removeStaleTemporaries(in: out + "/notices")
    let stages = Set(results[0].stages.compactMap { $0.split(separator: " ").first.map(String.init) })
    var outcome = Outcome(shards: results.count, status: results.map(\.status).max() ?? 0, lines: [])
    if let validation = try mergedValidation(&results) {
      let report = ValidationReport(validation)
      try report.write(to: out)
      outcome.lines.append(
        "report: \(Plural.count(report.summary.students, "student")), \(Plural.count(report.summary.files, "file")), "
          + "\(Plural.count(report.summary.errors, "error")), \(Plural.count(report.summary.warnings, "warning"))")
      var noticeLinks: [String: String] = [:]
      if stages.contains("notices") {
        let written = try NoticeWriter(validation: validation, date: date).write(into: out + "/notices")
        noticeLinks = Dictionary(written.map { ($0, "notices/\($0).html") }) { a, _ in a }
        outcome.lines.append("notices: \(Plural.count(written.count, "student")) → \(out)/notices/")
      }
      if stages.contains("report") {
        try StaffReport(validation: validation, date: date, noticeLinks: noticeLinks, rosterLinks: [])
          .write(to: out + "/report.html")
        outcome.lines.append("report: \(out)/report.html")
      }
    }
    if stages.contains("package") || stages.contains("export") {
      let rows = Self.mergedPackages(results)
      try AtomicFile.write(try PackageList.csv(rows), to: out + "/" + PackageList.fileName)
      let refused = rows.filter { $0.package == nil }.count
      outcome.lines.append("packages: \(rows.count - refused) written, \(refused) refused → \(out)/packages.csv")
    }
    return outcome
  }

  /// The package lists of every stage, each in student order (as one run lists them).
  static func mergedPackages(_ results: [ShardResult]) -> [PackageListing] {
    let stageCount = results.map(\.packageLists.count).max() ?? 0
    return (0..<stageCount).flatMap { stage in
      results.flatMap { $0.packageLists.count > stage ? $0.packageLists[stage] : [] }
        .sorted { $0.studentNumber < $1.studentNumber }
    }
  }

  /// One validation of the whole drop from the shards' parts; `nil` when no validate stage ran.
  /// The parts are taken out of `results` and moved into it, never held twice.
  func mergedValidation(_ results: inout [ShardResult]) throws -> Validation? {
    var parts: [ShardResult.ValidationPart] = []
    var notes: [String] = []
    for index in results.indices {
      guard let part = results[index].validation else { continue }
      results[index].validation = nil
      parts.append(part)
      notes += part.ledgerNotes.map { "shard \(results[index].shard): \($0)" }
    }
    guard !parts.isEmpty else { return nil }
    let dropLevel = parts[0].findings.filter { $0.studentNumber == nil }
    for (index, part) in parts.enumerated().dropFirst()
    where try jsonOf(part.findings.filter { $0.studentNumber == nil }) != jsonOf(dropLevel) {
      throw MergeError.mismatch(
        "findings on the drop's own files (school.json, the tables)", folders[index], folders[0])
    }
    let table = try PolicyTable.bundled()
    guard table.fingerprint == parts[0].policyTable else {
      throw MergeError.mismatch("policy table (\(parts[0].policyTable))", folders[0], "this program")
    }
    var scan = DropScan(
      drop: results[0].drop, school: parts[0].school, roster: Roster(), items: [], pendingItems: [], findings: [])
    scan.roster.hasStudentList = parts[0].hasStudentList
    for part in parts {
      for student in part.students { scan.roster.students[student.studentNumber] = student.student }
    }
    scan.pendingItems = parts.flatMap(\.pendingItems).sorted { Self.student(of: $0) < Self.student(of: $1) }
    if let school = parts[0].school {
      // Each shard checked school.json before it ran; its times parse.
      (scan.timeZone, scan.windows) = try DropPreflight.schoolTimes(school, path: results[0].drop + "/school.json")
    }
    // One run lists students in the byte order of their folder names; a student's own entries
    // keep their order (the sorts are stable). Each part is emptied as it is moved.
    var findings = dropLevel
    var files: [FileRecord] = []
    findings.reserveCapacity(dropLevel.count + parts.reduce(0) { $0 + $1.findings.count })
    files.reserveCapacity(parts.reduce(0) { $0 + $1.files.count })
    scan.items.reserveCapacity(parts.reduce(0) { $0 + $1.items.count })
    for index in parts.indices {
      scan.items += parts[index].items
      files += parts[index].files
      findings += parts[index].findings.lazy.filter { $0.studentNumber != nil }
      (parts[index].items, parts[index].files, parts[index].findings) = ([], [], [])
    }
    parts = []
    scan.items.sort { $0.studentNumber < $1.studentNumber }
    files.sort { $0.studentNumber < $1.studentNumber }
    findings.sort(by: Finding.reportOrder)
    var validation = Validation(scan: scan, files: FileRecords(files), findings: findings, table: table)
    validation.ledgerNotes = notes
    return validation
  }

  private func jsonOf(_ findings: [Finding]) throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return try encoder.encode(findings)
  }

  /// The student folder of `uploads/{student}/{item}`.
  static func student(of pending: String) -> Substring {
    let parts = pending.split(separator: "/")
    return parts.count > 1 ? parts[1] : Substring(pending)
  }
}
