import Digest
import Foundation
import XMLKit
import ZipKit

#if canImport(Glibc)
  import Glibc
#endif

/// What `import` did with one package.
public struct ImportResult: Sendable {
  public var package: String
  public var sha256: String?
  /// Why the package was refused; empty when it was accepted.
  public var refusals: [Finding]
  /// Item folders written.
  public var imported: [String]
  /// Items already present from an earlier import of the same content.
  public var alreadyPresent: [String]
  /// The student's number here, and at the sending school (they differ after a transfer).
  public var studentNumber: String? = nil
  public var sendingNumber: String? = nil
}

/// Imports a transfer student's package from another school into a drop directory.
///
/// The package is checked completely first (every rule of `check`, plus the transfer rules)
/// without extracting anything; only a package that passes is written, as new item folders —
/// each file through a temporary name, `item.json` last. A refused package leaves the drop
/// directory byte-for-byte unchanged.
public struct Importer {
  let checker: PackageChecker
  /// Where the package is first checked: in an isolated worker (the command-line tool), so that
  /// a package that crashes, hangs or exhausts a C library is refused before this process reads
  /// it; only a package the worker passed is read here (and checked again, in case it changed).
  public var isolation: InspectionIsolation = .inProcess

  public init(table: PolicyTable, schema: XMLSchema) {
    checker = PackageChecker(table: table, schema: schema)
  }

  public func importPackage(path: String, into drop: String, fromSchool: String, now: Date = Date()) throws
    -> ImportResult
  {
    // The receiving drop must be usable before anything is judged or written there.
    try PathCheck.folder(drop, role: .receivingDrop)
    let basics = try DropPreflight.check(drop)
    let name = String(path.split(separator: "/").last ?? Substring(path))
    if case .workers = isolation, let gate = checker.check(paths: [(path, name)], isolation: isolation).first,
      !gate.passed
    {
      return ImportResult(
        package: name, sha256: gate.sha256, refusals: gate.findings.filter { $0.severity == .error }, imported: [],
        alreadyPresent: [])
    }
    let (check, read) = checker.checkAndRead(path: path, displayName: name)
    var result = ImportResult(package: name, sha256: check.sha256, refusals: [], imported: [], alreadyPresent: [])
    func refuse(_ finding: Finding) { result.refusals.append(finding) }
    guard check.passed, let manifest = read, let packageSha = check.sha256 else {
      result.refusals = check.findings.filter { $0.severity == .error }
      return result
    }
    guard manifest.kind == .transfer else {
      refuse(WrongKind.centralGivenToImport(package: name))
      return result
    }
    guard manifest.schoolCode == fromSchool else {
      refuse(BadMetadata.importFromOtherSchool(package: name, made: manifest.schoolCode, given: fromSchool))
      return result
    }
    // The receiving school's own roster decides who the student is: by ID number and birth
    // date (a transferred student gets a new student number at the receiving school).
    let local: Student
    switch Self.receivingStudent(manifest.student, in: basics.roster, package: name) {
    case .success(let student): local = student
    case .failure(let refusal):
      refuse(refusal.finding)
      return result
    }
    let number = local.studentNumber
    (result.studentNumber, result.sendingNumber) = (number, manifest.student.studentNumber)

    // Plan every item before writing anything: a conflict refuses the whole package.
    let studentFolder = drop + "/uploads/" + number
    var plans: [(itemId: String, json: [UInt8], files: [(entry: String, name: String, sha256: String)])] = []
    removeOwnTemporaries(under: studentFolder)
    for item in try items(of: manifest, packageName: name, packageSha: packageSha, now: now) {
      let folder = try Self.target(studentFolder, item.itemId)
      switch existingState(folder: folder, packageSha: packageSha, files: item.files) {
      case .absent, .incomplete: plans.append(item)
      case .same: result.alreadyPresent.append(item.itemId)
      case .different:
        refuse(ImportConflict.finding(package: name, number: number, itemId: item.itemId))
      }
    }
    guard result.refusals.isEmpty else { return result }

    let reader = try ZipArchiveReader(path: path)
    let entries = Dictionary(
      try reader.entries().compactMap { entry in entry.name.map { ($0, entry) } }, uniquingKeysWith: { a, _ in a })
    for plan in plans {
      let folder = try Self.target(studentFolder, plan.itemId)
      try AtomicFile.makeFolder(folder)
      for file in plan.files {
        guard let entry = entries[file.entry] else { throw ImportError.vanished(file.entry) }
        try extract(
          entry, from: reader, to: try Self.target(studentFolder, plan.itemId, file.name), sha256: file.sha256)
      }
      try AtomicFile.write(plan.json, to: try Self.target(studentFolder, plan.itemId, "item.json"))
      result.imported.append(plan.itemId)
    }
    return result
  }

  enum ExistingState { case absent, incomplete, same, different }

  /// The path of an item folder (or a file in it) under the student's folder, after the drop
  /// contract's rules: a plain item id (never `.` or `..`) and a plain file name. Anything else
  /// is refused before a byte is written.
  static func target(_ studentFolder: String, _ itemId: String, _ file: String? = nil) throws -> String {
    guard Identifiers.isItemId(itemId) else { throw ImportError.unsafeTarget(itemId) }
    var path = studentFolder + "/" + itemId
    if let file {
      guard Identifiers.isPlainFileName(file), !file.hasPrefix(".") || file == "item.json" else {
        throw ImportError.unsafeTarget(itemId + "/" + file)
      }
      path += "/" + file
    }
    let standard = URL(fileURLWithPath: path).standardizedFileURL.path
    let root = URL(fileURLWithPath: studentFolder).standardizedFileURL.path
    guard standard.hasPrefix(root + "/") else { throw ImportError.unsafeTarget(path) }
    return path
  }

  /// The temporaries an earlier, killed import left in this student's item folders (only the
  /// names this program writes: `.import-{pid}-…` and `.item.json.tmp-{pid}`).
  func removeOwnTemporaries(under studentFolder: String) {
    guard case .success(let items) = FileSystem.names(in: studentFolder) else { return }
    for item in items {
      guard let itemName = item.string, Identifiers.isItemId(itemName),
        case .success(let names) = FileSystem.names(in: studentFolder + "/" + itemName)
      else { continue }
      for name in names.compactMap(\.string) where Self.isOwnTemporary(name) {
        unlink(studentFolder + "/" + itemName + "/" + name)
      }
    }
  }

  static func isOwnTemporary(_ name: String) -> Bool {
    name.range(of: #"^\.import-[0-9]+-.+$"#, options: .regularExpression) != nil
      || name.range(of: #"^\.item\.json\.tmp-[0-9]+$"#, options: .regularExpression) != nil
  }

  /// item.json of an imported item: encoded completely or not at all (never empty).
  func itemJSON(_ item: ItemManifest, _ encoder: JSONEncoder) throws -> [UInt8] {
    let bytes = Array(try encoder.encode(item))
    guard bytes.count > 2 else { throw ImportError.unsafeTarget(item.itemId + "/item.json") }
    return bytes + [0x0A]
  }

  /// What is already at an item folder: nothing, an interrupted import (no item.json), the same
  /// content, or something else.
  func existingState(folder: String, packageSha: String, files: [(entry: String, name: String, sha256: String)])
    -> ExistingState
  {
    guard case .success(let entry) = FileSystem.entry(at: folder) else { return .absent }
    guard entry.kind == .directory else { return .different }
    guard
      case .success(let bytes) = FileSystem.readSmallFile(folder + "/item.json", maxBytes: DropScanner.maxMetadataBytes)
    else {
      return FileSystem.entry(at: folder + "/item.json").isMissing ? .incomplete : .different
    }
    guard let existing = try? JSONDecoder().decode(ItemManifest.self, from: Data(bytes)) else { return .different }
    if existing.transfer?.packageSha256 == packageSha { return .same }
    let hashes = existing.certification?.sha256 ?? []
    return hashes == files.map(\.sha256) && existing.files.map(\.name) == files.map(\.name) ? .same : .different
  }

  /// Streams an entry to a temporary file beside `target`, checks its SHA-256, fsyncs, renames.
  func extract(_ entry: ZipEntry, from reader: ZipArchiveReader, to target: String, sha256: String) throws {
    let url = URL(fileURLWithPath: target)
    let path = url.deletingLastPathComponent().path + "/.import-\(getpid())-" + url.lastPathComponent
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw SystemError(call: "open", path: path, errno: errno) }
    var closed = false
    defer {
      if !closed { close(fd) }
      unlink(path)
    }
    let hasher = try DigestHasher(.sha256)
    // No file over the checker's cap (the policy table's largest limit), as the check before said.
    try reader.read(entry, maxBytes: checker.caps.maxFileBytes) { chunk in
      hasher.update(chunk)
      try FileSystem.writeAll(fd, chunk, path: path)
    }
    guard try hasher.finish() == sha256 else { throw ImportError.changedWhileImporting(target) }
    guard fsync(fd) == 0 else { throw SystemError(call: "fsync", path: path, errno: errno) }
    close(fd)
    closed = true
    guard rename(path, target) == 0 else { throw SystemError(call: "rename", path: target, errno: errno) }
  }

  /// The item folders a transfer manifest becomes: `item.json` bytes and the files to extract.
  func items(of manifest: PackageManifest, packageName: String, packageSha: String, now: Date) throws
    -> [(itemId: String, json: [UInt8], files: [(entry: String, name: String, sha256: String)])]
  {
    let importedAt = SchoolClock.timestamp(now, in: SchoolSettings.defaultTimeZone)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]

    func fileNames(_ files: [PackageManifest.File]) -> [(entry: String, name: String, sha256: String)] {
      var used = Set<String>(["item.json"])
      return files.enumerated().map { index, file in
        // The original name when it is a safe, plain name; else "{n}.{ext}".
        let original = file.originalName
        var name = original
        if !Identifiers.isPlainFileName(original) || original.hasPrefix(".") || original.utf8.count > 200
          || TextRules.forbiddenScalar(in: original) != nil
          || used.contains(original.precomposedStringWithCanonicalMapping.lowercased())
        {
          name = "\(index + 1).\(ContentNames.preferredExtension(file.mime) ?? "bin")"
        }
        used.insert(name.precomposedStringWithCanonicalMapping.lowercased())
        return (file.path, name, file.sha256)
      }
    }
    func transfer(course: ItemManifest.CarriedCourse?) -> ItemManifest.Transfer {
      ItemManifest.Transfer(
        fromSchool: manifest.schoolCode, fromStudentNumber: manifest.student.studentNumber, packageName: packageName,
        packageSha256: packageSha, importedAt: importedAt, course: course)
    }
    var result: [(String, [UInt8], [(entry: String, name: String, sha256: String)])] = []
    // Each packaged item is already the one item model: it lands as it was submitted, under the
    // names it gets here, with the hashes its files had (the content the old school certified)
    // and where it came from.
    for packaged in manifest.items {
      let files = fileNames(packaged.files)
      var item = packaged.item
      item.files = zip(packaged.files, files).map { ItemManifest.FileEntry(name: $1.name, role: $0.role) }
      let hashes = files.map(\.sha256)
      var course: ItemManifest.CarriedCourse?
      switch item.kind {
      case .courseOutcome:
        item.certification?.sha256 = hashes
        course = manifest.courses.first {
          $0.code == item.courseCode && $0.academicYear == item.academicYear && $0.term == item.term
        }
      case .multiplePerformance:
        item.certification = files.isEmpty ? nil : ItemManifest.Certification(status: .pending, sha256: hashes)
      case .consultation:
        break
      }
      item.transfer = transfer(course: course)
      result.append((item.itemId, try itemJSON(item, encoder), files))
    }
    return result
  }
}

public enum ImportError: Error, CustomStringConvertible {
  case vanished(String)
  case changedWhileImporting(String)
  /// A path that would leave `uploads/{studentNumber}/{itemId}/` (refused before writing).
  case unsafeTarget(String)

  public var description: String {
    switch self {
    case .unsafeTarget(let path): "refused to write \(path): outside the drop contract's item folders"
    case .vanished(let entry): "the entry \(entry) disappeared from the package while importing"
    case .changedWhileImporting(let path):
      "\(path): the package changed while importing (SHA-256 differs); the file was not written"
    }
  }
}

extension Result where Failure == SystemError {
  var isMissing: Bool {
    if case .failure(let error) = self { return error.isMissing }
    return false
  }
}
