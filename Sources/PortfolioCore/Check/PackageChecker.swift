import Digest
import Foundation
import Magic
import XMLKit
import ZipKit

/// The verdict on one package.
public struct PackageCheck: Codable, Sendable {
  public var package: String
  /// SHA-256 of the zip file itself.
  public var sha256: String?
  public var passed: Bool { !findings.contains { $0.severity == .error } }
  public var findings: [Finding]

  enum CodingKeys: String, CodingKey { case package, sha256, passed, findings }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(package, forKey: .package)
    try container.encode(sha256, forKey: .sha256)
    try container.encode(passed, forKey: .passed)
    try container.encode(findings, forKey: .findings)
  }

  public init(package: String, sha256: String?, findings: [Finding]) {
    self.package = package
    self.sha256 = sha256
    self.findings = findings
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    package = try container.decode(String.self, forKey: .package)
    sha256 = try container.decodeIfPresent(String.self, forKey: .sha256)
    findings = try container.decode([Finding].self, forKey: .findings)
  }
}

/// Caps on untrusted packages (the field specification's defaults).
public struct PackageCaps: Sendable {
  public var maxEntries = 10_000
  /// No file entry larger than the largest limit of any policy, whatever its header claims:
  /// the policy table's, the one place that limit is written.
  public var maxFileBytes: UInt64
  public var maxManifestBytes = Self.manifestCap
  /// The largest manifest.xml read from any package (16 MiB: a manifest is ten thousand entries
  /// of text at most).
  public static let manifestCap: UInt64 = 16 * 1024 * 1024
  /// The most a deflated entry may expand (XML compresses about 10:1).
  public var maxRatio: UInt64 = 200
  /// The most all entries together may hold once decompressed.
  public var maxTotalBytes: UInt64 = 4 * 1024 * 1024 * 1024
  public init(table: PolicyTable) { maxFileBytes = UInt64(max(0, table.largestLimit)) }
}

/// Verifies a package against every rule of the field specification §3, independently of how
/// it was made. Reads the zip as untrusted input: nothing is extracted, one entry at a time is
/// held in memory, and every size is capped.
public struct PackageChecker {
  public let table: PolicyTable
  let schema: XMLSchema
  public var caps: PackageCaps
  /// Read every file entry back (size, SHA-256, content, structure). Only the packager turns
  /// this off, for a zip it has just written from sources whose identity (`fstat`) did not
  /// change between validation and the end of writing; the zip's structure, names, manifest
  /// and sizes are still checked.
  public var verifyContent = true
  /// The manifest bytes the packager has just validated against the schema: when the package's
  /// manifest.xml holds exactly these bytes the schema is not asked again (it is still parsed
  /// and cross-checked with the entries). `check` of a package from elsewhere never sets it.
  var validatedManifest: [UInt8]?

  public init(table: PolicyTable, schema: XMLSchema) {
    self.table = table
    self.schema = schema
    caps = PackageCaps(table: table)
  }

  public func check(path: String, displayName: String? = nil) -> PackageCheck {
    checkAndRead(path: path, displayName: displayName).check
  }

  /// Checks the package in the isolated worker of `slot` (libzip, libxml2, libmagic and the
  /// parsers never touch its bytes in this process); a worker that crashes, hangs or runs out
  /// of memory on it fails the package with `inspection-failed`.
  func check(path: String, displayName: String? = nil, in slot: IsolatedInspector) -> PackageCheck {
    let name = displayName ?? String(path.split(separator: "/").last ?? Substring(path))
    switch slot.checkPackage(path: path, displayName: name) {
    case .success(let check): return check
    case .failure(let incident):
      return PackageCheck(
        package: name, sha256: FileSystem.sha256(ofFileAt: path),
        findings: [InspectionFailed.package(PackagePlace(name), incident: incident)])
    }
  }

  /// Checks every package in `paths`, in order, in one isolated worker (replaced when one
  /// fails) when `isolation` asks for workers, else in this process.
  public func check(paths: [(path: String, displayName: String?)], isolation: InspectionIsolation) -> [PackageCheck] {
    guard case .workers(let executable, let limits) = isolation else {
      return paths.map { check(path: $0.path, displayName: $0.displayName) }
    }
    let slot = IsolatedInspector(
      executable: executable, maxParsedBytes: Int(table.largestLimit), parseLimits: table.images, limits: limits)
    return paths.map { check(path: $0.path, displayName: $0.displayName, in: slot) }
  }

  /// Checks the package and returns its manifest too (when it could be read).
  public func checkAndRead(path: String, displayName: String? = nil) -> (
    check: PackageCheck, manifest: PackageManifest?
  ) {
    let name = displayName ?? String(path.split(separator: "/").last ?? Substring(path))
    var run = CheckRun(name: name, table: table, caps: caps)
    run.verifyContent = verifyContent
    run.validatedManifest = validatedManifest
    let digest = run.hashWholeFile(path)
    run.check(path: path, schema: schema)
    return (PackageCheck(package: name, sha256: digest, findings: run.findings), run.manifest)
  }
}
