import Digest
import Foundation
import Magic
import XMLKit
import ZipKit

/// Reading the manifest and the files of a package: what only a package can get wrong (its
/// XML, its entries, its paths and sizes). The domain rules then run on what was read.
extension CheckRun {
  mutating func readManifest(_ reader: ZipArchiveReader, _ entry: ZipEntry, schema: XMLSchema) -> PackageManifest? {
    let place = at("manifest.xml")
    let bytes: [UInt8]
    do {
      bytes = try reader.readAll(entry, maxBytes: caps.maxManifestBytes)
    } catch let error as ZipError {
      findings.append(
        error.kind == .overLimit
          ? ArchiveBomb.overLimitWhileReading(place, "cannot read manifest.xml: \(error)")
          : CorruptArchive.unreadableManifest(place, "\(error)"))
      return nil
    } catch {
      findings.append(CorruptArchive.unreadableManifest(place, "\(error)"))
      return nil
    }
    let document: XMLDocument
    do {
      document = try XMLDocument(bytes: bytes, maxBytes: Int(caps.maxManifestBytes))
    } catch {
      let issues = error.issues.prefix(20).map(\.description).joined(separator: " | ")
      findings.append(
        error.kind == .forbiddenConstruct
          ? XMLForbidden.finding(place, error.description, issues: issues)
          : SchemaInvalid.notXML(place, error.description, issues: issues))
      return nil
    }
    guard let root = document.rootElement(), root.name == "portfolioPackage", root.namespace == ManifestXML.namespace
    else {
      findings.append(SchemaInvalid.notAPackage(place, namespace: ManifestXML.namespace))
      return nil
    }
    let version = root.attributes["specVersion"] ?? ""
    if let major = version.split(separator: ".").first, major != "1" {
      findings.append(UnsupportedVersion.finding(place, version: version))
      return nil
    }
    let issues = bytes == validatedManifest ? [] : schema.errors(in: document)
    if !issues.isEmpty {
      findings.append(
        SchemaInvalid.breaksSchema(
          place, count: issues.count, first: issues.prefix(5).map(\.description).joined(separator: "; "),
          issues: issues.prefix(20).map(\.description).joined(separator: " | ")))
      return nil
    }
    return ManifestXML.read(root)
  }

  /// The package's own structure: unique ids, no ID number in names, paths as the field
  /// specification gives them, and what a central package may hold.
  mutating func checkStructure(_ manifest: PackageManifest, entryNames: [String]) {
    var seen = Set<String>()
    for id in manifest.itemIds where !seen.insert(id).inserted {
      findings.append(DuplicateId.finding(at(item: id), id: id))
    }
    // The XSD's item-id pattern allows "." and ".."; the drop contract never does.
    for id in manifest.itemIds where !Identifiers.isItemId(id) {
      findings.append(UnsafeEntry.unsafe(at(item: id), reason: "item id \"\(id)\" is not a plain folder name"))
    }
    let student = manifest.student
    if student.idNumber.count >= 6,
      ([name] + entryNames).contains(where: { $0.localizedCaseInsensitiveContains(student.idNumber) })
    {
      findings.append(UnsafeEntry.idNumberInName(at()))
    }
    var ordinals: [String: Int] = [:]
    for (itemId, _, _, _, file) in manifest.allFiles {
      let ordinal = (ordinals[itemId] ?? 0) + 1
      ordinals[itemId] = ordinal
      let expected = "files/\(itemId)/\(ordinal).\(ContentNames.preferredExtension(file.mime) ?? "")"
      if file.path != expected {
        findings.append(SchemaInvalid.wrongPath(at(file.path, item: itemId), expected: expected))
      }
    }
    guard manifest.kind == .central else { return }
    guard let year = manifest.academicYear else {
      findings.append(SchemaInvalid.centralWithoutYear(at("manifest.xml")))
      return
    }
    if manifest.consultations != nil { findings.append(WrongKind.consultationsInCentral(at())) }
    for item in manifest.items.map(\.item) where item.kind != .consultation {
      let id = item.itemId
      if item.selected != true { findings.append(WrongKind.notSelected(at(item: id), id: id)) }
      if item.academicYear != year {
        findings.append(WrongKind.otherYear(at(item: id), id: id, itemYear: item.academicYear, year: year))
      }
    }
  }

  /// Every listed file present and every present file listed; when content is verified, each
  /// file read back once: its size and SHA-256 against the manifest, and its inspection (the
  /// sniffed type and structure) for the rules. Returns the inspections by entry path.
  mutating func checkFiles(_ manifest: PackageManifest, reader: ZipArchiveReader, named: [String: ZipEntry])
    -> [String: FileInspection]
  {
    let listed = manifest.allFiles
    var listedPaths = Set<String>()
    for file in listed where !listedPaths.insert(file.file.path).inserted {
      findings.append(DuplicateEntry.listedTwice(at(file.file.path)))
    }
    for name in named.keys.sorted() where name != "manifest.xml" && !listedPaths.contains(name) {
      findings.append(UnlistedEntry.finding(at(name)))
    }
    guard verifyContent else {
      for (itemId, _, _, _, file) in listed {
        guard let entry = named[file.path] else {
          findings.append(MissingEntry.listedAbsent(at(file.path, item: itemId)))
          continue
        }
        if entry.declaredSize != UInt64(max(file.bytes, 0)) {
          findings.append(
            SizeMismatch.finding(at(file.path, item: itemId), actual: entry.declaredSize, listed: file.bytes))
        }
      }
      return [:]
    }
    guard var reading = EntryReading(capacity: Int(caps.maxFileBytes), limits: table.images) else {
      findings.append(CorruptArchive.toolsUnavailable(at()))
      return [:]
    }
    var inspections: [String: FileInspection] = [:]
    for (itemId, _, _, _, file) in listed {
      let place = at(file.path, item: itemId)
      guard let entry = named[file.path] else {
        findings.append(MissingEntry.listedAbsent(place))
        continue
      }
      switch reading.inspect(entry, from: reader, maxBytes: caps.maxFileBytes) {
      case .failure(let finding):
        findings.append(finding(place))
      case .success(let inspection):
        if inspection.bytes != file.bytes {
          findings.append(SizeMismatch.finding(place, actual: UInt64(inspection.bytes), listed: file.bytes))
        }
        if inspection.sha256 != file.sha256 {
          findings.append(HashMismatch.finding(place, actual: inspection.sha256, listed: file.sha256))
        }
        inspections[file.path] = inspection
      }
    }
    return inspections
  }
}

/// Reads entries of an untrusted archive into one buffer and inspects them as the validator
/// inspects files: libmagic on the sniff window, SHA-256, the format parser.
struct EntryReading {
  let sniffer: MagicSniffer
  let hasher: DigestHasher
  let buffer: EntryBuffer
  let limits: ParseLimits

  init?(capacity: Int, limits: ParseLimits) {
    self.limits = limits
    guard let sniffer = try? MagicSniffer(bytesMax: FileInspector.sniffWindow), let hasher = try? DigestHasher(.sha256)
    else {
      return nil
    }
    self.sniffer = sniffer
    self.hasher = hasher
    buffer = EntryBuffer(capacity: capacity)
  }

  /// The inspection of one entry, or the finding (for a place) that says why it cannot be read.
  mutating func inspect(_ entry: ZipEntry, from reader: ZipArchiveReader, maxBytes: UInt64)
    -> Result<FileInspection, EntryFailure>
  {
    try? hasher.reset()
    var filled = 0
    let storage = buffer.storage
    do {
      try reader.read(entry, maxBytes: maxBytes) { chunk in
        hasher.update(chunk)
        UnsafeMutableRawBufferPointer(rebasing: storage[filled..<(filled + chunk.count)]).copyMemory(from: chunk)
        filled += chunk.count
      }
    } catch let error as ZipError {
      let text = error.description
      return .failure(
        EntryFailure { place in
          error.kind == .overLimit
            ? ArchiveBomb.overLimitWhileReading(place, text)
            : CorruptArchive.unreadableEntry(place, text, checksum: error.isChecksumMismatch)
        })
    } catch {
      let text = "\(error)"
      return .failure(EntryFailure { CorruptArchive.unreadableEntry($0, text, checksum: false) })
    }
    let bytes = UnsafeRawBufferPointer(rebasing: storage[0..<filled])
    let mime = FileInspector.libmagicType(of: bytes, sniffer: sniffer) ?? "application/octet-stream"
    return .success(
      FileInspection(
        mime: mime, magicDescription: mime, bytes: Int64(filled), sha256: (try? hasher.finish()) ?? "",
        facts: FormatParsers.inspect(mime: mime, bytes, limits: limits)))
  }
}

/// Why an entry could not be read: the finding to make, once its place is known.
struct EntryFailure: Error {
  let make: @Sendable (PackagePlace) -> Finding
  func callAsFunction(_ place: PackagePlace) -> Finding { make(place) }
}

/// The buffer entries are read into: as large as the largest file a package may hold.
final class EntryBuffer {
  let storage: UnsafeMutableRawBufferPointer
  init(capacity: Int) { storage = UnsafeMutableRawBufferPointer.allocate(byteCount: max(capacity, 1), alignment: 16) }
  deinit { storage.deallocate() }
}
