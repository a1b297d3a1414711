import Foundation
import XMLKit
import ZipKit

#if canImport(Glibc)
  import Glibc
#endif

/// The output folder cannot be written — a full disk, a quota, a file-size limit, a read-only
/// or foreign folder: nothing a student did, so the run stops (exit 64) with the path and
/// what to do, and nothing half-written is left under a final name.
public struct OutputFailure: Error, CustomStringConvertible {
  public let path: String
  public let errno: Int32

  /// The errors of the output folder rather than of one student's data.
  static let codes: Set<Int32> = [ENOSPC, EDQUOT, EFBIG, EROFS, EACCES, EPERM, EIO]

  public var description: String {
    let reason = String(cString: strerror(errno))
    let advice =
      switch errno {
      case ENOSPC, EDQUOT: "free space on that disk (or raise the quota), then run again"
      case EFBIG: "the process may not write files that large (ulimit -f); raise the limit, then run again"
      case EROFS, EACCES, EPERM: "make the output folder writable for this user, or choose another with --out"
      default: "check the disk, then run again"
      }
    return "cannot write \(path): \(reason) — \(advice). Earlier outputs were left as they were."
  }

  /// The output failure behind `error`, if it is one.
  static func from(_ error: any Error, path: String) -> OutputFailure? {
    switch error {
    case let failure as OutputFailure: failure
    case let system as SystemError where codes.contains(system.errno):
      OutputFailure(path: system.path, errno: system.errno)
    case let zip as ZipError where codes.contains(zip.systemErrno): OutputFailure(path: path, errno: zip.systemErrno)
    default: nil
    }
  }
}

extension Packager {
  typealias Written = (temporary: String, final: String, manifest: PackageManifest, name: String)

  /// Builds, validates, writes and self-checks one student's package under a temporary name.
  /// Whatever goes wrong with this student's data refuses this student only (a finding says
  /// why); only a failure of the output folder itself is thrown.
  func prepare(_ student: Student, into folder: String, schema: XMLSchema) throws -> (PackageOutcome, Written?) {
    var outcome = PackageOutcome(
      studentNumber: student.studentNumber, path: nil, sha256: nil, items: 0, files: 0, refusals: [], leftOut: [])
    outcome.refusals = blockingFindings(student)
    guard outcome.refusals.isEmpty else { return (outcome, nil) }
    let (manifest, sources, leftOut) = buildManifest(student)
    outcome.leftOut = leftOut
    outcome.items = manifest.itemIds.count
    outcome.files = sources.count
    let name = packageName(student)
    let built = BuiltPackage(manifest: manifest, name: name, sources: sources.map { ($0.entry, $0.source) })
    if kind == .central, manifest.itemIds.isEmpty {
      outcome.noItems = true
      outcome.built = built
      return (outcome, nil)
    }
    let xml: [UInt8]
    do {
      xml = try ManifestXML.write(manifest)
      let issues = schema.errors(in: try XMLDocument(bytes: xml))
      guard issues.isEmpty else {
        outcome.refusals = [
          PackageNotBuilt.breaksSchema(student: student.studentNumber, package: name, issues: issues.map(\.description))
        ]
        return (outcome, nil)
      }
    } catch {
      outcome.refusals = [
        PackageNotBuilt.breaksSchema(student: student.studentNumber, package: name, issues: ["\(error)"])
      ]
      return (outcome, nil)
    }
    outcome.built = built
    return try writeZip(
      outcome, manifest: manifest, xml: xml, sources: sources, name: name, folder: folder, schema: schema)
  }

  /// Writes the zip under a temporary name and checks it with `check`'s own code.
  private func writeZip(
    _ outcome: PackageOutcome, manifest: PackageManifest, xml: [UInt8],
    sources: [(entry: String, source: String, identity: String)], name: String, folder: String, schema: XMLSchema
  ) throws -> (PackageOutcome, Written?) {
    var outcome = outcome
    let final = folder + "/" + name
    let temporary = folder + "/.\(name).partial-\(getpid())"
    var keep = false
    defer { if !keep { unlink(temporary) } }
    // The identity (fstat) of every source as validated, now, and after writing: if none
    // changed, the zip holds the validated bytes and need not be read back.
    let drop = validation.scan.drop
    let changed = { sources.first { Self.identity(of: drop + "/" + $0.source) != $0.identity } }
    let changedBefore = changed()
    // A failure of the archive itself, with every source as validated, is tried once more
    // (libzip was seen to refuse a just-created temporary, rarely, under load).
    var failure: (any Error)?
    for _ in 1...2 {
      do {
        try writeArchive(temporary, xml: xml, sources: sources)
        failure = nil
        break
      } catch {
        failure = error
        if OutputFailure.from(error, path: temporary) != nil || changed() != nil { break }
      }
    }
    if let error = failure {
      if let failure = OutputFailure.from(error, path: temporary), changed() == nil { throw failure }
      outcome.refusals = [
        changed().map {
          PackageNotBuilt.sourceChanged(
            student: outcome.studentNumber, package: name, path: $0.source, reason: "\(error)")
        } ?? PackageNotBuilt.writeFailed(student: outcome.studentNumber, package: name, reason: "\(error)")
      ]
      return (outcome, nil)
    }
    // The drop may have changed since validation (a re-upload): then read everything back.
    var checker = PackageChecker(table: validation.table, schema: schema)
    checker.verifyContent = !(changedBefore == nil && changed() == nil)
    checker.validatedManifest = xml  // validated against the schema above: not again
    let check = checker.check(path: temporary, displayName: name)
    if !check.findings.filter({ $0.severity == .error }).isEmpty {
      outcome.refusals = check.findings
      return (outcome, nil)
    }
    outcome.sha256 = check.sha256
    keep = true
    return (outcome, (temporary, final, manifest, name))
  }

  /// Writes the archive: the manifest, then each source as stored.
  private func writeArchive(
    _ temporary: String, xml: [UInt8], sources: [(entry: String, source: String, identity: String)]
  ) throws {
    let writer = try ZipArchiveWriter(
      path: temporary, timestamp: ZipTimestamp(secondsSince1970: Int64(generatedAt.timeIntervalSince1970)))
    try writer.add(name: "manifest.xml", bytes: xml, compression: .deflated)
    for (entry, source, _) in sources {
      try writer.add(name: entry, file: validation.scan.drop + "/" + source, compression: .stored)
    }
    try writer.commit()
  }

  /// Removes last run's package and receipts of a student refused this run: only the names
  /// this program writes for that student, each removal atomic. Returns what was removed.
  func removeStale(_ student: Student, from folder: String) throws -> [String] {
    let zip = packageName(student)
    let base = String(zip.dropLast(4))
    var removed: [String] = []
    for name in [zip, base + "_receipt.txt", base + "_receipt.csv"] {
      let path = folder + "/" + name
      if unlink(path) == 0 {
        removed.append(name)
      } else if errno != ENOENT {
        throw OutputFailure.from(SystemError(call: "unlink", path: path, errno: errno), path: path)
          ?? SystemError(call: "unlink", path: path, errno: errno)
      }
    }
    if !removed.isEmpty { AtomicFile.syncFolder(folder) }
    return removed
  }
}
