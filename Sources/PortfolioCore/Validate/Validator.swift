import Foundation
import Synchronization

/// One file's entry in `report.json`.
public struct FileRecord: Codable, Sendable, Equatable {
  public var path: String
  public var studentNumber: String
  public var itemId: String
  public var originalName: String
  public var role: FileRole
  public var mime: String
  public var bytes: Int64
  public var sha256: String
  /// Lowercase hex MD5 of files a roster may list (selected course outcomes and multiple
  /// performances); absent for the others.
  public var md5: String?
  /// `rejected` when the file or its item has an error.
  public var verdict: Verdict
  /// The policy applied to the file's size and type.
  public var policy: String
  public var pages: Int?
  public var width: Int?
  public var height: Int?
  public var durationSeconds: Double?
  /// The codes of the findings on the file and on its item.
  public var findings: [String]
}

/// One file's inspection in as few bytes as a school's tens of thousands allow, with where the
/// scan has the file (its identity and mtime: the version inspected). What validation holds of
/// each file while the others are read, and what the ledger records.
public struct InspectedFile: Sendable {
  /// Where the scan has the file (`scan.items[item].files[file]`).
  private(set) var item: Int32
  private(set) var file: Int32
  let mime: String
  let magicDescription: String
  let bytes: Int64
  private let packedSHA256: PackedHex
  let md5: String?
  var sha256: String { packedSHA256.text }
  /// The parsed facts' figures, `Int.min` for none.
  private let pages: Int
  private let width: Int
  private let height: Int
  private let durationSeconds: Double?
  /// `nil` when the file was not parsed (then it has no facts at all).
  private let problems: [ContentProblem]?

  init(item: Int, file: Int, _ inspection: FileInspection) {
    (self.item, self.file) = (Int32(item), Int32(file))
    (mime, magicDescription, bytes) = (inspection.mime, inspection.magicDescription, inspection.bytes)
    (packedSHA256, md5) = (PackedHex(inspection.sha256), inspection.md5)
    let facts = inspection.facts
    (pages, width, height) = (facts?.pages ?? .min, facts?.width ?? .min, facts?.height ?? .min)
    durationSeconds = facts?.durationSeconds
    problems = facts?.problems
  }

  /// The same inspection for the file at `item`, `file` of this run's scan (one the ledger kept).
  func placed(item: Int, file: Int) -> InspectedFile {
    var placed = self
    (placed.item, placed.file) = (Int32(item), Int32(file))
    return placed
  }

  /// No inspection: what `FileResults` holds for a file until (unless) its answer comes.
  static let missing = InspectedFile(
    item: -1, file: -1, FileInspection(mime: "", magicDescription: "", bytes: 0, sha256: "", md5: nil, facts: nil))

  var isMissing: Bool { item < 0 }

  /// The inspection again, whole.
  var inspection: FileInspection {
    FileInspection(
      mime: mime, magicDescription: magicDescription, bytes: bytes, sha256: sha256, md5: md5, facts: facts)
  }

  /// The parsed figures of report.json, without the problems.
  var figures: (pages: Int?, width: Int?, height: Int?, durationSeconds: Double?) {
    (pages == .min ? nil : pages, width == .min ? nil : width, height == .min ? nil : height, durationSeconds)
  }

  var facts: ContentFacts? {
    guard let problems else { return nil }
    var facts = ContentFacts()
    facts.pages = pages == .min ? nil : pages
    facts.width = width == .min ? nil : width
    facts.height = height == .min ? nil : height
    (facts.durationSeconds, facts.problems) = (durationSeconds, problems)
    return facts
  }
}

/// Everything `validate` established about a drop directory.
public struct Validation: Sendable {
  public var scan: DropScan
  public var files: FileRecords
  public var findings: [Finding]
  public var table: PolicyTable
  /// How many files were read this run (the rest came from the ledger, stat only).
  public var filesRead = 0
  /// What happened to the ledger before this validation (a recovery), for the reports.
  public var ledgerNotes: [String] = []
  public var bytesRead: Int64 = 0

  /// The items with an error on themselves or one of their files.
  public var rejectedItems: Set<ItemKey> {
    var rejected: Set<ItemKey> = []
    for finding in findings where finding.severity == .error {
      if let itemId = finding.itemId {
        rejected.insert(ItemKey(studentNumber: finding.studentNumber ?? "", itemId: itemId))
      }
    }
    return rejected
  }

  /// Items with no error on themselves or their files.
  public var acceptedItems: [ScannedItem] { scan.items.filter(Self.isAccepted(rejectedItems)) }

  /// How many items `acceptedItems` holds, without copying them.
  public var acceptedItemCount: Int { scan.items.count(where: Self.isAccepted(rejectedItems)) }

  /// Whether an item is usable and not among `rejected`.
  static func isAccepted(_ rejected: Set<ItemKey>) -> (ScannedItem) -> Bool {
    { item in
      guard let manifest = item.manifest else { return false }
      return !rejected.contains(ItemKey(studentNumber: item.studentNumber, itemId: manifest.itemId))
    }
  }
}

/// Options of a validation run.
public struct ValidationOptions: Sendable {
  /// Parallel workers reading files (each with its own libmagic handle).
  public var jobs: Int
  /// Where upload bytes are parsed: in disposable worker processes (the command-line tool) or
  /// in this process (tests, the fuzzer).
  public var isolation: InspectionIsolation
  /// Where the words of the findings go as each student is judged (a run's output folder), so
  /// that memory holds only codes and places; `nil` keeps them in memory (tests, small drops).
  public var spool: TextSpool?
  /// Inspection workers kept from one part of a run to the next (`PartedValidation`).
  var leases: InspectorLeases?
  public init(jobs: Int = 2, isolation: InspectionIsolation = .inProcess, spool: TextSpool? = nil) {
    self.jobs = max(1, jobs)
    self.isolation = isolation
    self.spool = spool
  }
}

/// Applies every rule of the domain to a drop directory: per file by content and policy year,
/// per item, and per student. Only reads the drop directory.
public struct Validator: Sendable {
  public let table: PolicyTable
  public let options: ValidationOptions

  public init(table: PolicyTable, options: ValidationOptions = ValidationOptions()) {
    self.table = table
    self.options = options
  }

  public func validate(_ drop: String) throws -> Validation {
    let scan = try DropScanner(jobs: options.jobs).scan(drop)
    return try validate(scan)
  }

  public func validate(_ scan: DropScan, memory: ValidationMemory = ValidationMemory(), progress: ProgressMeter? = nil)
    throws
    -> Validation
  {
    var memory = memory
    return try validate(scan, memory: &memory, progress: progress)
  }

  /// Validates `scan` with what `memory` remembers, then lets go of its inspections (the
  /// ledger's record needs only its versions and verdicts) unless a later part of the same
  /// run still needs them (`forgetting: false`).
  public func validate(
    _ scan: DropScan, memory: inout ValidationMemory, forgetting: Bool = true, progress: ProgressMeter? = nil
  )
    throws
    -> Validation
  {
    var findings = scan.findings
    // Every file by position: item `i`'s files are jobs `firstFile[i]...`, no copies of items.
    var firstFile: [Int] = []
    firstFile.reserveCapacity(scan.items.count)
    var jobs: [(item: Int, file: Int)] = []
    for (index, item) in scan.items.enumerated() {
      firstFile.append(jobs.count)
      for position in item.files.indices { jobs.append((index, position)) }
    }
    func file(_ job: Int) -> ScannedFile { scan.items[jobs[job].item].files[jobs[job].file] }
    // Files a roster may list get their MD5 in the same read (see `Self.needsMD5`).
    let md5 = scan.items.map(Self.needsMD5)
    // Each answer is kept compact as it comes (what the rules, the records and the ledger need).
    var results = FileResults(scan: scan, jobs: jobs)
    // Unchanged files (same identity as in the ledger) are not read again, unless an MD5 is
    // needed now that the ledger does not hold.
    var toRead: [Int] = []
    for job in jobs.indices {
      let file = file(job)
      if let known = memory.remembered(file.relativePath), known.stamp == file.stamp,
        let inspected = known.inspected, !md5[jobs[job].item] || inspected.md5 != nil
      {
        results.put(job, remembered: inspected)
      } else {
        toRead.append(job)
      }
    }
    if forgetting { memory.forgetInspections() }
    progress?.start(files: toRead.count, bytes: toRead.totalBytes { file($0).bytes })
    do {  // each answer goes straight into its slot
      let shared = Mutex(consume results)
      let (drop, items, positions, waiting) = (scan.drop, scan.items, jobs, toRead)
      try inspectAll(
        count: toRead.count,
        file: { slot in
          let job = positions[waiting[slot]]
          let file = items[job.item].files[job.file]
          return (drop + "/" + file.relativePath, md5[job.item], file.bytes)
        }, progress: progress,
        deliver: { slot, result in shared.withLock { $0.put(waiting[slot], result) } })
      results = shared.withLock { all in
        defer { all = FileResults(scan: scan, jobs: []) }
        return all
      }
    }
    progress?.finish()
    findings += results.failureFindings()
    try judge(scan, results: results, firstFile: firstFile, memory: memory, into: &findings)
    if let spool = options.spool {  // the drop's and the inspections' own, the students' are already there
      for index in findings.indices { findings[index].spool(into: spool) }
    }
    findings.sort(by: Finding.reportOrder)

    var validation = Validation(
      scan: scan, files: (consume results).finish(findings: findings, policies: PolicyCache(table: table)),
      findings: findings, table: table)
    validation.filesRead = toRead.count
    validation.bytesRead = toRead.totalBytes { file($0).bytes }
    return validation
  }

  /// Every rule, on every student: students are judged on the workers (each student's view
  /// built there, then dropped); their findings in student order.
  private func judge(
    _ scan: DropScan, results: FileResults, firstFile: [Int], memory: ValidationMemory,
    into findings: inout [Finding]
  ) throws {
    let subjects = DropSubjects(scan: scan, results: results, firstFile: firstFile)
    let context = subjects.context(table: table, memory: memory)
    let judged = try WorkerPool.map(
      count: subjects.numbers.count, workers: options.jobs, makeWorker: {},
      work: { [spool = options.spool] _, index in
        var found = RuleBook.findings(of: subjects.student(subjects.numbers[index]), in: context)
        if let spool {
          for position in found.indices { found[position].spool(into: spool) }
        }
        return found
      })
    findings.reserveCapacity(findings.count + judged.reduce(0) { $0 + $1.count })
    for part in judged { findings += part }
  }

  /// Whether the files of `item` can appear in a roster (名冊): selected course outcomes and
  /// multiple performances. Only they pay for an MD5; every other file is hashed once (SHA-256).
  static func needsMD5(_ item: ScannedItem) -> Bool {
    guard let manifest = item.manifest else { return false }
    return manifest.selected == true && manifest.kind != .consultation
  }

  /// One file to read: its path, whether it needs an MD5, its size as the scan saw it.
  typealias FileToRead = (path: String, withMD5: Bool, bytes: Int64)

  /// Inspects `count` files with a bounded pool of workers (each pool thread owns one
  /// `FileInspector`, or one isolated worker process). `file(i)` names the i-th when it is
  /// sent, and each answer goes to `deliver` (from any pool thread) as it comes: nothing holds
  /// every path or every answer a second time. A file a worker never answered is `garbage`.
  private func inspectAll(
    count: Int, file: @escaping @Sendable (Int) -> FileToRead, progress: ProgressMeter?,
    deliver: @escaping @Sendable (Int, Result<FileInspection, InspectionFailure>) -> Void
  ) throws {
    guard count > 0 else { return }  // nothing changed: no libmagic handle, no buffer
    let largest = Int(table.largestLimit)
    let answered = Mutex<[Bool]>(Array(repeating: false, count: count))
    let hand: @Sendable (Int, Result<FileInspection, InspectionFailure>) -> Void = { index, result in
      if case .success(let inspection) = result {
        progress?.advance(bytes: inspection.bytes)
      } else {
        progress?.advance(bytes: 0)
      }
      answered.withLock { $0[index] = true }
      deliver(index, result)
    }
    switch options.isolation {
    case .inProcess:
      _ = try WorkerPool.map(
        count: count, workers: options.jobs,
        makeWorker: { [table] in try FileInspector(maxParsedBytes: largest, limits: table.images) },
        work: { inspector, index in
          let (path, withMD5, _) = file(index)
          do throws(FileSystem.OpenFailure) {
            hand(index, .success(try inspector.inspect(path: path, withMD5: withMD5, scanned: true)))
          } catch {
            hand(index, .failure(.open(error)))
          }
          return true
        })
    case .workers(let executable, let limits):
      // Each job's worker is fed from one shared cursor, files sent ahead of its answers.
      let cursor = Atomic<Int>(0)
      _ = try WorkerPool.map(
        count: min(options.jobs, count), workers: options.jobs,
        makeWorker: { [table, leases = options.leases] in
          let make = {
            IsolatedInspector(
              executable: executable, maxParsedBytes: largest, parseLimits: table.images, limits: limits)
          }
          return leases?.take(make) ?? make()
        },
        work: { [leases = options.leases] inspector, _ in
          defer { leases?.give(copy inspector) }
          inspector.inspectStream(
            next: {
              let index = cursor.add(1, ordering: .relaxed).oldValue
              guard index < count else { return nil }
              let (path, withMD5, bytes) = file(index)
              return IsolatedInspector.StreamedFile(index: index, path: path, withMD5: withMD5, bytes: bytes)
            },
            deliver: hand)
          return true
        })
    }
    for (index, done) in answered.withLock({ $0 }).enumerated() where !done {
      deliver(index, .failure(.worker(WorkerIncident(reason: .garbage, limit: 0, observed: "no answer"))))
    }
  }
}
