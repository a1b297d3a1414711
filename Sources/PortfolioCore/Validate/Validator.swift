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
  /// `accepted` or `rejected` (an error on the file or on its item).
  public var verdict: String
  /// The policy applied to the file's size and type.
  public var policy: String
  public var pages: Int?
  public var width: Int?
  public var height: Int?
  public var durationSeconds: Double?
  /// The codes of the findings on the file and on its item.
  public var findings: [String]
}

/// What earlier runs established (from the ledger): inspections by path and identity, and
/// the content teachers certified.
public struct ValidationMemory: Sendable {
  /// Relative path → the identity of the file version inspected and what was found.
  public var inspections: [String: (identity: String, inspection: FileInspection)] = [:]
  /// "student/item/file name" → the content certified.
  public var certified: [String: CertifiedContent] = [:]
  /// Relative path → the verdict and finding codes recorded last time (the ledger rewrites a
  /// row only when the file was read again or its verdict changed).
  public var verdicts: [String: String] = [:]

  public struct CertifiedContent: Sendable, Equatable {
    public var studentNumber: String
    public var itemId: String
    public var fileName: String
    public var sha256: String
    public var teacherId: String?
    public var at: String?

    public init(studentNumber: String, itemId: String, fileName: String, sha256: String, teacherId: String?, at: String?) {
      self.studentNumber = studentNumber
      self.itemId = itemId
      self.fileName = fileName
      self.sha256 = sha256
      self.teacherId = teacherId
      self.at = at
    }

    public var key: String { "\(studentNumber)/\(itemId)/\(fileName)" }
  }

  public init() {}
}

/// Everything `validate` established about a drop directory.
public struct Validation: Sendable {
  public var scan: DropScan
  public var files: [FileRecord]
  public var findings: [Finding]
  public var table: PolicyTable
  /// Every inspection by relative path, with the identity of the version inspected.
  public var inspections: [String: (identity: String, inspection: FileInspection)] = [:]
  /// How many files were read this run (the rest came from the ledger, stat only).
  public var filesRead = 0
  public var bytesRead: Int64 = 0

  /// Items with no error on themselves or their files.
  public var acceptedItems: [ScannedItem] {
    let rejected = Set(findings.filter { $0.severity == .error }.compactMap { f in f.itemId.map { "\(f.studentNumber ?? "")/\($0)" } })
    return scan.items.filter { $0.manifest != nil && !rejected.contains("\($0.studentNumber)/\($0.manifest!.itemId)") }
  }
}

/// Options of a validation run.
public struct ValidationOptions: Sendable {
  /// Parallel workers reading files (each with its own libmagic handle).
  public var jobs: Int
  public init(jobs: Int = 2) { self.jobs = max(1, jobs) }
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

  public func validate(_ scan: DropScan, memory: ValidationMemory = ValidationMemory(), progress: ProgressMeter? = nil) throws
    -> Validation
  {
    var findings = scan.findings
    let jobs = scan.items.flatMap { item in item.files.map { (item, $0) } }
    // Unchanged files (same identity as in the ledger) are not read again.
    var inspections: [Result<FileInspection, FileSystem.OpenFailure>?] = jobs.map { _, file in
      guard let known = memory.inspections[file.relativePath], known.identity == file.identity else { return nil }
      return .success(known.inspection)
    }
    let toRead = inspections.indices.filter { inspections[$0] == nil }
    progress?.start(files: toRead.count, bytes: toRead.reduce(0) { $0 + jobs[$1].1.bytes })
    let read = try inspectAll(toRead.map { scan.drop + "/" + jobs[$0].1.relativePath }, progress: progress)
    for (slot, index) in toRead.enumerated() { inspections[index] = read[slot] }
    progress?.finish()
    var context = ItemContext(scan: scan, table: table)

    // Per file.
    var hashes: [String: [String: String]] = [:]  // student → sha256 → first path
    for (index, (item, file)) in jobs.enumerated() {
      guard let manifest = item.manifest else { continue }
      let place = FindingPlace(studentNumber: item.studentNumber, itemId: manifest.itemId, file: file.relativePath, shortName: file.name)
      switch inspections[index]! {
      case .failure(.notRegular(let kind)):
        findings.append(.notARegularFile(place, kind: kind))
      case .failure(.system(let error)):
        findings.append(.unreadable(place, error: error))
      case .success(let inspection):
        let policy = context.policy(for: manifest)
        findings += FileRules.check(inspection, file: file, item: manifest, policy: policy, place: place)
        if let position = manifest.files.firstIndex(where: { $0.name == file.name }),
          let certified = manifest.certification?.sha256, position < certified.count,
          certified[position].lowercased() != inspection.sha256
        {
          findings.append(FileRules.modified(place, certified: certified[position], actual: inspection.sha256))
        }
        findings += memoryFindings(item: item, manifest: manifest, file: file, inspection: inspection, memory: memory, place: place)
        if inspection.bytes > 0 {
          if let first = hashes[item.studentNumber, default: [:]][inspection.sha256] {
            findings.append(FileRules.duplicate(place, first: first))
          } else {
            hashes[item.studentNumber, default: [:]][inspection.sha256] = file.relativePath
          }
        }
      }
    }

    // Per item and per student.
    findings += context.itemFindings()
    findings += context.studentFindings()
    findings.sort(by: Finding.reportOrder)

    // File records with verdicts.
    let errorsByFile = Dictionary(grouping: findings.filter { $0.file != nil }, by: { $0.file! })
    let itemKey = { (student: String?, item: String?) in "\(student ?? "")/\(item ?? "")" }
    let byItem = Dictionary(grouping: findings.filter { $0.itemId != nil && $0.file == nil || $0.file?.hasSuffix("/item.json") == true }, by: { itemKey($0.studentNumber, $0.itemId) })
    var records: [FileRecord] = []
    var known: [String: (identity: String, inspection: FileInspection)] = [:]
    for (index, (item, file)) in jobs.enumerated() {
      guard let manifest = item.manifest, case .success(let inspection) = inspections[index]! else { continue }
      known[file.relativePath] = (file.identity, inspection)
      let own = errorsByFile[file.relativePath] ?? []
      let ofItem = byItem[itemKey(item.studentNumber, manifest.itemId)] ?? []
      let all = own + ofItem
      records.append(
        FileRecord(
          path: file.relativePath, studentNumber: item.studentNumber, itemId: manifest.itemId, originalName: file.name,
          role: file.role, mime: inspection.mime, bytes: inspection.bytes, sha256: inspection.sha256,
          verdict: all.contains { $0.severity == .error } ? "rejected" : "accepted",
          policy: context.policy(for: manifest).id, pages: inspection.facts?.pages, width: inspection.facts?.width,
          height: inspection.facts?.height, durationSeconds: inspection.facts?.durationSeconds.map { ($0 * 1000).rounded() / 1000 },
          findings: Array(Set(all.map(\.code.rawValue))).sorted()))
    }
    var validation = Validation(scan: scan, files: records, findings: findings, table: table)
    validation.inspections = known
    validation.filesRead = toRead.count
    validation.bytesRead = toRead.reduce(0) { $0 + jobs[$1].1.bytes }
    return validation
  }

  /// What the ledger's memory of certified content says about one file.
  func memoryFindings(
    item: ScannedItem, manifest: ItemManifest, file: ScannedFile, inspection: FileInspection, memory: ValidationMemory,
    place: FindingPlace
  ) -> [Finding] {
    guard manifest.kind == .courseOutcome, inspection.bytes > 0 else { return [] }
    let key = "\(item.studentNumber)/\(manifest.itemId)/\(file.name)"
    if manifest.certification?.status == .passed {
      // Only when item.json carries no certified hash: otherwise that hash is the reference.
      if manifest.certification?.sha256 == nil, let certified = memory.certified[key], certified.sha256 != inspection.sha256 {
        return [FileRules.modified(place, certified: certified.sha256, actual: inspection.sha256)]
      }
      return []
    }
    let match = memory.certified.values.filter { $0.studentNumber == item.studentNumber && $0.sha256 == inspection.sha256 }
      .min { $0.key < $1.key }
    guard let match else { return [] }
    let when = match.at ?? "earlier"
    return [
      Finding.make(
        .identicalToCertified, place,
        zh: "「\(file.name)」和老師（\(match.teacherId ?? "授課老師")）在 \(when) 認證通過的版本完全相同。學校可以據此恢復認證，不必請老師重新認證。",
        en: "\(file.relativePath) is identical (SHA-256 \(inspection.sha256.prefix(12))…) to \(match.itemId)/\(match.fileName), "
          + "certified by \(match.teacherId ?? "the teacher") at \(when); the certification can be restored.",
        details: ["certifiedItem": match.itemId, "certifiedFile": match.fileName, "certifiedAt": when,
                  "teacherId": match.teacherId ?? ""])
    ]
  }

  /// Inspects every file with a bounded pool of workers, one `FileInspector` each.
  private func inspectAll(_ paths: [String], progress: ProgressMeter?) throws -> [Result<FileInspection, FileSystem.OpenFailure>] {
    guard !paths.isEmpty else { return [] }  // nothing changed: no libmagic handle, no buffer
    let largest = table.policies.map { max($0.limits.document, $0.limits.media, $0.limits.consultationDocument) }.max() ?? 0
    let next = Atomic<Int>(0)
    let results = Mutex<[Int: Result<FileInspection, FileSystem.OpenFailure>]>([:])
    let failure = Mutex<(any Error)?>(nil)
    let workers = min(options.jobs, max(1, paths.count))
    DispatchQueue.concurrentPerform(iterations: workers) { _ in
      let inspector: FileInspector
      do {
        inspector = try FileInspector(maxParsedBytes: Int(largest))
      } catch {
        failure.withLock { $0 = error }
        return
      }
      while true {
        let index = next.add(1, ordering: .relaxed).oldValue
        guard index < paths.count else { return }
        let result: Result<FileInspection, FileSystem.OpenFailure>
        do throws(FileSystem.OpenFailure) {
          result = .success(try inspector.inspect(path: paths[index]))
        } catch {
          result = .failure(error)
        }
        results.withLock { $0[index] = result }
        if case .success(let inspection) = result { progress?.advance(bytes: inspection.bytes) } else { progress?.advance(bytes: 0) }
      }
    }
    if let error = failure.withLock({ $0 }) { throw error }
    return results.withLock { all in paths.indices.map { all[$0]! } }
  }
}
