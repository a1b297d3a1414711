import Foundation
import Inflate
import PortfolioCore
import TestSupport
import Testing
import ZipKit

/// Writes zip archives byte by byte, with full control over what a hostile sender can lie
/// about: names (NUL, `..`, backslashes), Unix modes (symlinks), CRCs, declared sizes, local
/// names that disagree with the central directory, entries sharing one local header.
struct RawZip {
  struct Entry {
    var name: [UInt8]
    var data: [UInt8]
    var mode: UInt32 = 0o100644
    var crc: UInt32?
    var declaredSize: UInt32?
    var localName: [UInt8]?
    /// Point this entry's central record at the local header of entry `reuse` instead.
    var reuse: Int?
    /// A compressed size in the central record larger than the data: the entry then claims
    /// the bytes of the entries after it (the overlapping-entries bomb).
    var centralCompressedSize: UInt32?

    init(_ name: String, _ data: [UInt8]) {
      self.name = Array(name.utf8)
      self.data = data
    }
  }

  var entries: [Entry]

  func bytes() -> [UInt8] {
    var out: [UInt8] = []
    var central: [UInt8] = []
    var offsets: [Int] = []
    func le16(_ value: Int, _ into: inout [UInt8]) { into += [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF)] }
    func le32(_ value: UInt32, _ into: inout [UInt8]) {
      into += [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 24 & 0xFF)]
    }
    for entry in entries {
      let crc = entry.crc ?? entry.data.withUnsafeBytes { Inflate.crc32($0) }
      let size = entry.declaredSize ?? UInt32(entry.data.count)
      if let reuse = entry.reuse {
        offsets.append(offsets[reuse])
      } else {
        offsets.append(out.count)
        let localName = entry.localName ?? entry.name
        le32(0x0403_4B50, &out)
        le16(20, &out)
        le16(0x0800, &out)
        le16(0, &out)
        le16(0, &out)
        le16(0x21, &out)
        le32(crc, &out)
        le32(UInt32(entry.data.count), &out)
        le32(size, &out)
        le16(localName.count, &out)
        le16(0, &out)
        out += localName + entry.data
      }
    }
    for (index, entry) in entries.enumerated() {
      let crc = entry.crc ?? entry.data.withUnsafeBytes { Inflate.crc32($0) }
      let size = entry.declaredSize ?? UInt32(entry.data.count)
      let source = entry.reuse.map { entries[$0] } ?? entry
      le32(0x0201_4B50, &central)
      le16(0x0314, &central)
      le16(20, &central)
      le16(0x0800, &central)
      le16(0, &central)
      le16(0, &central)
      le16(0x21, &central)
      le32(entry.reuse == nil ? crc : (source.crc ?? source.data.withUnsafeBytes { Inflate.crc32($0) }), &central)
      le32(entry.centralCompressedSize ?? UInt32(source.data.count), &central)
      le32(entry.reuse == nil ? size : UInt32(source.data.count), &central)
      le16(entry.name.count, &central)
      le16(0, &central)
      le16(0, &central)
      le16(0, &central)
      le16(0, &central)
      le32(entry.mode << 16, &central)
      le32(UInt32(offsets[index]), &central)
      central += entry.name
    }
    let centralOffset = out.count
    out += central
    le32(0x0605_4B50, &out)
    le16(0, &out)
    le16(0, &out)
    le16(entries.count, &out)
    le16(entries.count, &out)
    le32(UInt32(central.count), &out)
    le32(UInt32(centralOffset), &out)
    le16(0, &out)
    return out
  }
}

/// Hostile transfer packages: each is refused, leaves the drop unchanged, reads no local file.
/// With `PORTFOLIO_HOSTILE_DIR` set, each package is also kept there for `scripts/bench-hostile.sh`.
@Suite(.serialized) struct HostileImportTests {
  /// The honest package's entries, to be corrupted one way at a time.
  static func honest() throws -> [(String, [UInt8])] {
    let (folder, package) = try exportedPackage()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let reader = try ZipArchiveReader(path: package)
    return try reader.entries().map { ($0.name!, try reader.readAll($0, maxBytes: 1 << 24)) }
  }

  static func manifest(_ entries: [(String, [UInt8])]) -> String { String(decoding: entries[0].1, as: UTF8.self) }

  /// Imports `bytes` as a package into a fresh receiving drop; returns the refusal codes.
  func refuse(_ label: String, _ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) throws -> [String] {
    let school = try ReceivingDrop()
    defer { school.remove() }
    let path = school.root + "-\(label).zip"
    defer { try? FileManager.default.removeItem(atPath: path) }
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    if let keep = ProcessInfo.processInfo.environment["PORTFOLIO_HOSTILE_DIR"] {
      try? FileManager.default.createDirectory(atPath: keep, withIntermediateDirectories: true)
      try? Data(bytes).write(to: URL(fileURLWithPath: keep + "/\(label).zip"))
    }
    let before = contentListing(school.root)
    let outcome = try CLI.run(["import", path, "--into", school.root, "--from-school", "313302"])
    #expect(
      outcome.status == 1, "\(label) was not refused: \(outcome.stdout)\(outcome.stderr)",
      sourceLocation: sourceLocation)
    #expect(contentListing(school.root) == before, "\(label) changed the drop", sourceLocation: sourceLocation)
    #expect(!outcome.stdout.contains("root:x:0:0"), "\(label) read /etc/passwd", sourceLocation: sourceLocation)
    #expect(outcome.seconds < 10, "\(label) took \(outcome.seconds) s", sourceLocation: sourceLocation)
    return outcome.stdout.split(separator: "\n").compactMap { line in
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      guard let colon = trimmed.firstIndex(of: ":"), !trimmed.hasPrefix("REFUSED") else { return nil }
      let code = String(trimmed[..<colon])
      return Finding.Code(rawValue: code) != nil ? code : nil
    }
  }

  func raw(_ entries: [(String, [UInt8])], _ change: (inout [RawZip.Entry]) -> Void) -> [UInt8] {
    var list = entries.map { RawZip.Entry($0.0, $0.1) }
    change(&list)
    return RawZip(entries: list).bytes()
  }

  @Test func theRawBuilderMakesAnAcceptablePackageWhenHonest() throws {
    let school = try ReceivingDrop()
    defer { school.remove() }
    let path = school.root + "-honest.zip"
    defer { try? FileManager.default.removeItem(atPath: path) }
    try Data(raw(try Self.honest()) { _ in }).write(to: URL(fileURLWithPath: path))
    let outcome = try CLI.run(["import", path, "--into", school.root, "--from-school", "313302"])
    #expect(outcome.status == 0, "\(outcome.stdout)")
  }

  @Test(arguments: [
    ("dotdot", "files/../../../../tmp/evil.pdf"), ("absolute", "/etc/cron.d/evil"), ("backslash", "files\\co\\1.pdf"),
    ("drive", "C:/evil.pdf"), ("outside-pattern", "evil.sh"),
  ])
  func unsafeNames(label: String, name: String) throws {
    let bytes = raw(try Self.honest()) { $0.append(RawZip.Entry(name, Array("#!/bin/sh\n".utf8))) }
    #expect(try refuse(label, bytes).contains("unsafe-entry"))
  }

  /// The XSD's id pattern allows ".."; an item folder named ".." would put item.json in uploads/.
  @Test func anItemIdOfDotDot() throws {
    var entries = try Self.honest().filter { !$0.0.hasPrefix("files/mp-112-0001/") }
    var text = Self.manifest(entries)
    text = text.split(separator: "\n", omittingEmptySubsequences: false)
      .filter { !$0.contains("path=\"files/mp-112-0001/") }.joined(separator: "\n")
    let start = try #require(text.range(of: "<performance id=\"mp-112-0001\""))
    let selected = try #require(text.range(of: "<selected>", range: start.upperBound..<text.endIndex))
    text.replaceSubrange(selected, with: "<externalLink>https://example.org/a</externalLink><selected>")
    text = text.replacingOccurrences(of: "<performance id=\"mp-112-0001\"", with: "<performance id=\"..\"")
    entries[0].1 = Array(text.utf8)
    #expect(try refuse("item-id-dotdot", raw(entries) { _ in }).contains("unsafe-entry"))
  }

  @Test func aNulByteHidingTheRestOfAName() throws {
    let bytes = raw(try Self.honest()) { list in
      var entry = RawZip.Entry("files/co-112-1-0001/1.pdf", list[1].data)
      entry.name = Array("files/co-112-1-0001/9.pdf".utf8) + [0] + Array("/../../evil".utf8)
      list.append(entry)
    }
    #expect(try refuse("nul", bytes).contains("unsafe-entry"))
  }

  @Test func namesEqualAfterNFCOrCaseFolding() throws {
    let bytes = raw(try Self.honest()) { list in list.append(RawZip.Entry("files/CO-112-1-0001/1.pdf", list[1].data)) }
    #expect(try refuse("case-fold", bytes).contains("duplicate-entry"))
    let nfc = raw(try Self.honest()) { list in
      list.append(RawZip.Entry("files/caf\u{E9}/1.pdf", list[1].data))
      list.append(RawZip.Entry("files/cafe\u{301}/1.pdf", list[1].data))
    }
    #expect(!(try refuse("nfc", nfc)).isEmpty)
  }

  @Test func twoCentralRecordsSharingOneLocalHeader() throws {
    let bytes = raw(try Self.honest()) { list in
      var twin = RawZip.Entry("files/co-112-1-0001/3.pdf", [])
      twin.reuse = 1
      list.append(twin)
    }
    let codes = try refuse("shared-header", bytes)
    #expect(codes == ["corrupt-archive"])  // its local header names another entry
  }

  @Test func aSymlinkEntry() throws {
    let bytes = raw(try Self.honest()) { list in
      var link = RawZip.Entry("files/co-112-1-0001/3.pdf", Array("/etc/passwd".utf8))
      link.mode = 0o120777
      list.append(link)
    }
    #expect(try refuse("symlink", bytes).contains("unsafe-entry"))
  }

  @Test func duplicateNames() throws {
    let bytes = raw(try Self.honest()) { list in
      list.append(RawZip.Entry(String(decoding: list[1].name, as: UTF8.self), list[1].data))
    }
    let codes = try refuse("duplicate", bytes)
    #expect(codes.contains("duplicate-entry") || codes.contains("corrupt-archive"))
  }

  @Test func overlappingEntries() throws {
    // Entry 1 claims its data runs over entry 2's local header, as in overlapping-entry bombs.
    let bytes = raw(try Self.honest()) { list in list[1].centralCompressedSize = UInt32(list[1].data.count + 200) }
    let codes = try refuse("overlap", bytes)
    #expect(codes == ["archive-bomb"])
  }

  @Test func aCRCMismatch() throws {
    let bytes = raw(try Self.honest()) { list in list[1].crc = 0xDEAD_BEEF }
    #expect(try refuse("crc", bytes).contains("corrupt-archive"))
  }

  @Test func aTruncatedArchive() throws {
    let whole = raw(try Self.honest()) { _ in }
    #expect(try refuse("truncated", Array(whole.prefix(whole.count * 2 / 3))) == ["corrupt-archive"])
  }

  @Test func localAndCentralHeadersDisagree() throws {
    let bytes = raw(try Self.honest()) { list in list[1].localName = Array("files/co-112-1-0001/X.pdf".utf8) }
    let codes = try refuse("disagree", bytes)
    #expect(codes == ["corrupt-archive"])
  }

  @Test func aHeaderThatLiesAboutTheSize() throws {
    // Declares 1 KiB but holds 60 KB: libzip would deliver it all; our reader caps it.
    let bytes = raw(try Self.honest()) { list in list[1].declaredSize = 1024 }
    #expect(!(try refuse("size-lie", bytes)).isEmpty)
    let huge = raw(try Self.honest()) { list in list[1].declaredSize = 0xFFFF_FF00 }
    #expect(try refuse("size-huge", huge).contains("archive-bomb"))
  }

  @Test func tooManyEntries() throws {
    let bytes = raw(try Self.honest()) { list in
      for index in 0..<10_001 { list.append(RawZip.Entry("files/x/\(index + 1).pdf", [])) }
    }
    let codes = try refuse("entries", bytes)
    #expect(codes == ["archive-bomb"])
  }

  /// A deflated manifest that expands far beyond its compressed size.
  func deflatedManifest(_ label: String, _ manifest: [UInt8], rest: [(String, [UInt8])]) throws -> [UInt8] {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("bomb-\(UUID().uuidString).zip").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    let writer = try ZipArchiveWriter(path: path, timestamp: ZipTimestamp(secondsSince1970: 1_700_000_000))
    try writer.add(name: "manifest.xml", bytes: manifest, compression: .deflated)
    for (name, bytes) in rest { try writer.add(name: name, bytes: bytes, compression: .stored) }
    try writer.commit()
    return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
  }

  @Test func aCompressionBombManifest() throws {
    let honest = try Self.honest()
    var text = Self.manifest(honest)
    text = text.replacingOccurrences(
      of: "<generator>", with: "<generator>" + String(repeating: " ", count: 8 * 1024 * 1024))
    let bytes = try deflatedManifest("ratio", Array(text.utf8), rest: Array(honest.dropFirst()))
    let codes = try refuse("ratio", bytes)
    #expect(codes == ["archive-bomb"])
  }

  @Test func aFiftyMegabyteTextNode() throws {
    let honest = try Self.honest()
    let text = Self.manifest(honest).replacingOccurrences(
      of: "<summary>", with: "<summary>" + String(repeating: "學", count: 17 * 1024 * 1024))
    let bytes = try deflatedManifest("text-node", Array(text.utf8), rest: Array(honest.dropFirst()))
    let codes = try refuse("text-node", bytes)
    #expect(codes == ["archive-bomb"])
  }

  @Test(arguments: [
    ("doctype", "<!DOCTYPE portfolioPackage>"),
    ("xxe", "<!DOCTYPE p [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"),
    (
      "billion-laughs",
      "<!DOCTYPE p [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]>"
    ),
    ("external-dtd", "<!DOCTYPE p SYSTEM \"http://example.com/evil.dtd\">"),
  ])
  func manifestsWithDTDs(label: String, doctype: String) throws {
    let bytes = raw(try Self.honest()) { list in
      let text = String(decoding: list[0].data, as: UTF8.self)
        .replacingOccurrences(
          of: "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
          with: "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + doctype
        )
        .replacingOccurrences(of: "<generator>portfolio", with: "<generator>&x;portfolio")
      list[0].data = Array(text.utf8)
    }
    let codes = try refuse(label, bytes)
    #expect(codes == ["xml-forbidden"])
  }

  @Test(arguments: [
    ("invalid-utf8", [UInt8]([0xC3, 0x28])), ("forbidden-char", Array("&#1;".utf8)), ("raw-control", [UInt8]([0x01])),
  ])
  func manifestsWithBadText(label: String, insert: [UInt8]) throws {
    let bytes = raw(try Self.honest()) { list in
      let marker = Array("<name>".utf8)
      let data = list[0].data
      let at =
        (0..<(data.count - marker.count)).first { Array(data[$0..<($0 + marker.count)]) == marker }! + marker.count
      list[0].data = Array(data[..<at]) + insert + Array(data[at...])
    }
    let codes = try refuse(label, bytes)
    #expect(codes == ["schema-invalid"])
  }

  @Test func deepNesting() throws {
    let bytes = raw(try Self.honest()) { list in
      let text = String(decoding: list[0].data, as: UTF8.self).replacingOccurrences(
        of: "<generator>",
        with: "<generator>" + String(repeating: "<a>", count: 100_000) + String(repeating: "</a>", count: 100_000))
      list[0].data = Array(text.utf8)
    }
    let codes = try refuse("deep", bytes)
    #expect(codes == ["schema-invalid"])
  }

  @Test func overlapCheckStaysFastWithAHundredThousandEntries() throws {
    let entries = (0..<100_000).map { index in
      ZipLayout.Entry(
        name: Array("files/x/\(index).pdf".utf8), localHeaderOffset: UInt64(index) * 100, compressedSize: 50,
        uncompressedSize: 50, end: UInt64(index) * 100 + 90)
    }.shuffled()
    let started = ContinuousClock.now
    try ZipLayout.checkOverlaps(entries)
    var overlapping = entries
    overlapping.append(
      ZipLayout.Entry(
        name: Array("dup".utf8), localHeaderOffset: 150, compressedSize: 10, uncompressedSize: 10, end: 170))
    #expect(throws: ZipLayout.Problem.self) { try ZipLayout.checkOverlaps(overlapping) }
    #expect(ContinuousClock.now - started < .seconds(5))  // a hang guard, not a benchmark
  }
}
