import Foundation
import Synchronization
import XMLKit
import ZipKit

#if canImport(Glibc)
  import Glibc
#endif

/// The XML Schema of manifest v1, compiled into the program (`Resources/manifest-v1.xsd`).
public enum ManifestSchema {
  public static func bytes() throws -> [UInt8] {
    guard !EmbeddedResources.manifestSchema.isEmpty else { throw PackageError.missingSchema }
    return EmbeddedResources.manifestSchema
  }

  public static func load() throws -> XMLSchema { try XMLSchema(bytes: try bytes()) }
}

public enum PackageError: Error, CustomStringConvertible {
  case missingSchema

  public var description: String {
    switch self {
    case .missingSchema: "the manifest schema manifest-v1.xsd compiled into the program is empty"
    }
  }
}

/// What `package` did for one student.
public struct PackageOutcome: Sendable {
  public var studentNumber: String
  /// The package's path when it was written.
  public var path: String?
  public var sha256: String?
  public var items: Int
  public var files: Int
  /// Why the package was not written (empty when it was).
  public var refusals: [Finding]
  /// Items left out because they were rejected or not selected for this kind.
  public var leftOut: [String]
  /// Last run's files of this student removed because no package was written this time.
  public var removed: [String] = []
  /// A central package with no item (nothing selected for the year, or every selected item
  /// rejected) is not written: there is nothing to submit. Not a refusal: the student's course
  /// records still go in the rosters.
  public var noItems = false
  /// The manifest as built and schema-checked (absent when the student was refused): what the
  /// rosters of the same run list, without building it again.
  public var built: BuiltPackage?
}

/// One student's central package as the packager built it: the manifest, the package's file
/// name, and which drop file each entry holds.
public struct BuiltPackage: Sendable {
  public var manifest: PackageManifest
  public var name: String
  public var sources: [(entry: String, source: String)]
}

/// Builds per-student packages from a validated drop directory, on `jobs` workers.
public struct Packager: Sendable {
  public let validation: Validation
  public let kind: PackageManifest.Kind
  /// The academic year of a central package.
  public let academicYear: Int?
  public let generatedAt: Date
  /// Parallel workers writing packages (each with its own schema and checker).
  public var jobs = 2
  /// Shows students packaged so far on a terminal.
  public var progress: ProgressMeter?
  /// Every accepted item, computed once for all students.
  let accepted: Set<ItemKey>
  /// The file records of each student, by item and original name.
  let recordsByStudent: [String: [FileKey: FileRecord]]
  /// Each student's scanned items.
  let itemsByStudent: [String: [ScannedItem]]
  /// Course and cadre records by student, grouped once (not filtered again for every student).
  let coursesByStudent: [String: [CourseRecord]]
  let cadresByStudent: [String: [CadreRecord]]

  public init(validation: Validation, kind: PackageManifest.Kind, academicYear: Int?, generatedAt: Date) throws {
    self.validation = validation
    self.kind = kind
    self.academicYear = academicYear
    self.generatedAt = generatedAt
    accepted = Set(
      validation.acceptedItems.compactMap { item in
        item.manifest.map { ItemKey(studentNumber: item.studentNumber, itemId: $0.itemId) }
      })
    recordsByStudent = Dictionary(grouping: validation.files, by: \.studentNumber).mapValues { files in
      Dictionary(
        files.map {
          (FileKey(item: ItemKey(studentNumber: $0.studentNumber, itemId: $0.itemId), fileName: $0.originalName), $0)
        }, uniquingKeysWith: { first, _ in first })
    }
    itemsByStudent = Dictionary(grouping: validation.scan.items, by: \.studentNumber)
    coursesByStudent = Dictionary(grouping: validation.scan.roster.courses, by: \.studentNumber)
    cadresByStudent = Dictionary(grouping: validation.scan.roster.cadres, by: \.studentNumber)
    _ = try ManifestSchema.load()  // fail early if the schema is missing
  }

  /// `generatedAt` from `SOURCE_DATE_EPOCH` when set (reproducible builds), else now.
  public static func generationDate(environment: [String: String] = ProcessInfo.processInfo.environment) -> Date {
    if let epoch = environment["SOURCE_DATE_EPOCH"].flatMap(Double.init) { return Date(timeIntervalSince1970: epoch) }
    return Date()
  }

  var timeZone: TimeZone {
    validation.scan.timeZone  // parsed once, from school.json, by the scan (or the merge)
  }

  /// The file name of a student's package. Never holds an ID number.
  public func packageName(_ student: Student) -> String {
    let school = validation.scan.school?.schoolCode ?? "000000"
    switch kind {
    case .central: return "\(school)_\(academicYear ?? 0)_central_\(student.studentNumber).zip"
    case .transfer: return "\(school)_transfer_\(student.studentNumber).zip"
    }
  }

  /// Writes the package of every student (or only `only`) into `folder`.
  ///
  /// Each package is written under a temporary name and checked; then the disks are synced
  /// once for all of them (not one `fsync` per package) and only then is each renamed to its
  /// final name, so no half-written package is ever visible, even after a power loss.
  public func writeAll(into folder: String, only: String? = nil) throws -> [PackageOutcome] {
    try AtomicFile.makePrivateFolder(folder)  // packages carry ID numbers
    AtomicFile.removeStaleTemporaries(in: folder)
    let students = validation.scan.roster.students.values
      .filter { only == nil || $0.studentNumber == only }
      .filter { kind == .transfer || only != nil || $0.isEnrolled(in: academicYear ?? 0) }
      .sorted { $0.studentNumber < $1.studentNumber }
    let packager = self
    progress?.start(files: students.count, bytes: 0)
    let results = try WorkerPool.map(
      count: students.count, workers: jobs, makeWorker: { try ManifestSchema.load() },
      work: { schema, index in
        defer { packager.progress?.advance(bytes: 0) }
        return Result { try packager.prepare(students[index], into: folder, schema: schema) }
      })
    if !students.isEmpty { progress?.finish() }
    var outcomes: [PackageOutcome] = []
    var pending:
      [(index: Int, temporary: String, final: String, manifest: PackageManifest, student: Student, name: String)] = []
    defer { for item in pending { unlink(item.temporary) } }
    var failure: (any Error)?
    for (index, result) in results.enumerated() {
      switch result {
      case .success(let (outcome, written)):
        if let written {
          pending.append(
            (outcomes.count, written.temporary, written.final, written.manifest, students[index], written.name))
        }
        outcomes.append(outcome)
      case .failure(let error): failure = failure ?? error
      }
    }
    if let failure { throw failure }
    // A student refused this run keeps no package or receipt of an earlier run under its final
    // name (a presubmit check must not pass yesterday's package).
    for index in outcomes.indices
    where outcomes[index].noItems || outcomes[index].refusals.contains(where: { $0.severity == .error }) {
      outcomes[index].removed = try removeStale(students[index], from: folder)
    }
    guard !pending.isEmpty else { return outcomes }
    AtomicFile.syncFileSystem(of: folder)
    for item in pending {
      try AtomicFile.makePrivate(item.temporary)
      guard rename(item.temporary, item.final) == 0 else {
        throw SystemError(call: "rename", path: item.final, errno: errno)
      }
      outcomes[item.index].path = item.final
      if kind == .central { try writeReceipt(item.manifest, student: item.student, zipName: item.name, folder: folder) }
    }
    pending = []
    AtomicFile.syncFolder(folder)
    return outcomes
  }

  /// A regular file's identity (device, inode, size, times), or `nil` when it cannot be opened.
  static func identity(of path: String) -> String? {
    guard case .success(let found) = FileSystem.statRegularFile(path) else { return nil }
    return found.stamp.text
  }

  /// Student-level errors that make a package impossible.
  func blockingFindings(_ student: Student) -> [Finding] {
    validation.findings.filter { finding in
      guard finding.studentNumber == student.studentNumber, finding.severity == .error, finding.itemId == nil else {
        return false
      }
      switch finding.blocks {
      case .identity: return true
      case .selection(let year): return kind == .central && year == academicYear
      case nil: return false
      }
    }
  }

  /// `2026-11-23T10:00:00+08:00` in the school's time zone.
  func isoTimestamp(_ date: Date) -> String {
    SchoolClock.timestamp(date, in: timeZone)
  }

}
