import Digest
import Foundation
import XMLKit
import ZipKit

/// One check of one package: the findings collected so far.
struct CheckRun {
  let name: String
  let table: PolicyTable
  let caps: PackageCaps
  var findings: [Finding] = []
  var manifest: PackageManifest?
  var verifyContent = true
  /// See `PackageChecker.validatedManifest`.
  var validatedManifest: [UInt8]?

  init(name: String, table: PolicyTable, caps: PackageCaps) {
    self.name = name
    self.table = table
    self.caps = caps
  }

  /// The place of a finding on the package, or on one of its entries.
  func at(_ entry: String? = nil, item: String? = nil) -> PackagePlace { PackagePlace(name, entry: entry, item: item) }

  func hashWholeFile(_ path: String) -> String? { FileSystem.sha256(ofFileAt: path) }

  mutating func check(path: String, schema: XMLSchema) {
    guard checkLayout(path) else { return }
    let reader: ZipArchiveReader
    let entries: [ZipEntry]
    do {
      reader = try ZipArchiveReader(path: path)
    } catch {
      findings.append(CorruptArchive.notAZip(at(), "\(error)"))
      return
    }
    do {
      entries = try reader.entries()
    } catch {
      findings.append(CorruptArchive.centralDirectory(at(), "\(error)"))
      return
    }
    guard entries.count <= caps.maxEntries else {
      findings.append(ArchiveBomb.tooManyEntries(at(), count: entries.count, cap: caps.maxEntries))
      return
    }
    let named = checkEntries(entries)
    guard let manifestEntry = named["manifest.xml"] else {
      // A manifest already refused (a bomb, encrypted) is not also "missing".
      if !entries.contains(where: { $0.name == "manifest.xml" }) {
        findings.append(MissingEntry.noManifest(at("manifest.xml")))
      }
      return
    }
    if manifestEntry.index != 0 { findings.append(CorruptArchive.manifestNotFirst(at("manifest.xml"))) }
    guard let manifest = readManifest(reader, manifestEntry, schema: schema) else { return }
    self.manifest = manifest
    checkStructure(manifest, entryNames: Array(named.keys))
    let inspections = checkFiles(manifest, reader: reader, named: named)
    let subject = PackageSubject(name: name, table: table, manifest: manifest, inspections: inspections)
    findings += RuleBook.findings(of: subject.student(), in: subject.context).map { finding in
      var finding = finding
      if let file = finding.file, file.hasPrefix(name + ":") {
        finding.details["entry"] = String(file.dropFirst(name.count + 1))
      }
      return finding
    }
  }

  /// Our own reading of the central directory, before libzip sees the archive: entry count,
  /// overlapping entries, local headers that disagree, names with NUL bytes, total size.
  mutating func checkLayout(_ path: String) -> Bool {
    let layout: ZipLayout
    do {
      layout = try ZipLayout.read(path: path, maxEntries: caps.maxEntries)
    } catch {
      switch error {
      case .tooManyEntries(let count):
        findings.append(ArchiveBomb.tooManyEntries(at(), count: count, cap: caps.maxEntries))
      case .overlapping: findings.append(ArchiveBomb.overlapping(at(), error.description))
      case .headersDisagree, .truncated: findings.append(CorruptArchive.inconsistent(at(), error.description))
      }
      return false
    }
    var ok = true
    for entry in layout.entries where entry.name.contains(0) {
      let shown = DirectoryName(bytes: entry.name.map { $0 == 0 ? 0x3F : $0 }).display
      findings.append(UnsafeEntry.unsafe(at(shown), reason: "NUL byte in the name"))
      ok = false
    }
    let total = layout.entries.reduce(UInt64(0)) { $0 &+ min($1.uncompressedSize, UInt64.max / 2) }
    if total > caps.maxTotalBytes {
      findings.append(ArchiveBomb.totalTooLarge(at(), total: total, cap: caps.maxTotalBytes))
      ok = false
    }
    return ok
  }

  /// Names, duplicates, kinds and declared sizes of every entry; returns the usable entries by name.
  mutating func checkEntries(_ entries: [ZipEntry]) -> [String: ZipEntry] {
    var named: [String: ZipEntry] = [:]
    var folded: [String: String] = [:]
    for entry in entries {
      let shown = DirectoryName(bytes: entry.rawName).display
      if let reason = Self.unsafeReason(entry) {
        findings.append(UnsafeEntry.unsafe(at(shown), reason: reason))
        continue
      }
      guard let name = entry.name else { continue }
      if named[name] != nil {
        findings.append(DuplicateEntry.twice(at(name)))
        continue
      }
      let key = name.precomposedStringWithCanonicalMapping.lowercased()
      if let other = folded[key] {
        findings.append(DuplicateEntry.folded(at(name), sameAs: other))
        continue
      }
      folded[key] = name
      if let refusal = refusal(of: entry, name: name) {
        findings.append(refusal)
        continue
      }
      named[name] = entry
    }
    return named
  }

  /// Why an entry cannot be read safely: encrypted, unknown compression, or sizes over the caps.
  func refusal(of entry: ZipEntry, name: String) -> Finding? {
    if entry.isEncrypted { return CorruptArchive.encryptedEntry(at(name)) }
    if !entry.isStored && !entry.isDeflated {
      return CorruptArchive.unsupportedCompression(at(name), method: Int(entry.compressionMethod))
    }
    let cap = name == "manifest.xml" ? caps.maxManifestBytes : caps.maxFileBytes
    if entry.declaredSize > cap {
      return ArchiveBomb.declaredTooLarge(at(name), declared: entry.declaredSize, cap: cap)
    }
    let ratio = entry.declaredSize / max(entry.compressedSize, 1)
    if entry.isDeflated, entry.declaredSize > 1024 * 1024, ratio > caps.maxRatio {
      return ArchiveBomb.ratio(at(name), ratio: ratio, cap: caps.maxRatio)
    }
    return nil
  }

  /// Why an entry name or kind is unsafe, or `nil`.
  static func unsafeReason(_ entry: ZipEntry) -> String? {
    let raw = entry.rawName
    if raw.contains(0) { return "NUL byte in the name" }
    if raw.contains(UInt8(ascii: "\\")) { return "backslash in the name" }
    if raw.first == UInt8(ascii: "/") { return "absolute path" }
    if raw.count >= 2, raw[1] == UInt8(ascii: ":"), (raw[0] | 0x20) >= 0x61, (raw[0] | 0x20) <= 0x7A {
      return "drive letter"
    }
    guard let name = entry.name else { return "name is not valid UTF-8" }
    let parts = name.split(separator: "/", omittingEmptySubsequences: false)
    if parts.contains(where: { $0 == ".." || $0 == "." || $0.isEmpty }) { return "'..', '.' or an empty component" }
    if entry.isSymlink { return "symbolic link" }
    if entry.isDirectory { return "folder entry" }
    if name == "manifest.xml" { return nil }
    guard parts.count == 3, parts[0] == "files", Identifiers.isItemId(String(parts[1])),
      let dot = parts[2].firstIndex(of: "."),
      let ordinal = Int(parts[2][..<dot]), ordinal >= 1, !parts[2][..<dot].hasPrefix("0"),
      ContentType(packageExtension: String(parts[2][parts[2].index(after: dot)...])) != nil
    else { return "name outside files/{itemId}/{n}.{ext}" }
    return nil
  }
}
