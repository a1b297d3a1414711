import Foundation
import Testing
import ZipKit

/// This test process's folder for zips, removed when the process exits.
let scratchRoot: URL = {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent("zipkit-tests-\(getpid())")
  atexit { try? FileManager.default.removeItem(at: scratchRoot) }
  return url
}()

func temporaryFolder() throws -> URL {
  let url = scratchRoot.appendingPathComponent(UUID().uuidString)
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}

let manifest = Array(String(repeating: "<manifest>學習歷程</manifest>\n", count: 200).utf8)
let artefact: [UInt8] = (0..<50_000).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) }

func writeSample(to path: String, artefactFile: String) throws {
  let writer = try ZipArchiveWriter(
    path: path, timestamp: ZipTimestamp(secondsSince1970: 1_700_000_000))
  try writer.add(name: "manifest.xml", bytes: manifest, compression: .deflated)
  try writer.add(name: "files/co-112-1-0001/1.pdf", file: artefactFile, compression: .stored)
  try writer.commit()
}

@Suite struct ZipKitTests {
  @Test func writesStoredAndDeflatedEntriesAndReadsThemBack() throws {
    let folder = try temporaryFolder()
    let source = folder.appendingPathComponent("artefact.bin").path
    FileManager.default.createFile(atPath: source, contents: Data(artefact))
    let path = folder.appendingPathComponent("package.zip").path
    try writeSample(to: path, artefactFile: source)

    let reader = try ZipArchiveReader(path: path)
    let entries = try reader.entries()
    #expect(entries.map(\.name) == ["manifest.xml", "files/co-112-1-0001/1.pdf"])
    #expect(entries[0].isDeflated && entries[0].compressedSize < entries[0].declaredSize)
    #expect(entries[1].isStored && entries[1].compressedSize == UInt64(artefact.count))
    #expect(entries[1].unixMode == 0o100644 && !entries[1].isSymlink)
    #expect(try reader.readAll(entries[0], maxBytes: 1 << 20) == manifest)
    #expect(try reader.readAll(entries[1], maxBytes: 1 << 20) == artefact)
  }

  @Test func sameInputsGiveByteIdenticalArchives() throws {
    let folder = try temporaryFolder()
    let source = folder.appendingPathComponent("artefact.bin").path
    FileManager.default.createFile(atPath: source, contents: Data(artefact))
    let first = folder.appendingPathComponent("a.zip").path
    let second = folder.appendingPathComponent("b.zip").path
    try writeSample(to: first, artefactFile: source)
    // A different mtime on the source must not matter.
    try FileManager.default.setAttributes(
      [.modificationDate: Date(timeIntervalSince1970: 0)], ofItemAtPath: source)
    try writeSample(to: second, artefactFile: source)
    #expect(FileManager.default.contents(atPath: first) == FileManager.default.contents(atPath: second))
  }

  @Test func aChangedStoredByteFailsTheCRCCheck() throws {
    let folder = try temporaryFolder()
    let source = folder.appendingPathComponent("artefact.bin").path
    FileManager.default.createFile(atPath: source, contents: Data(artefact))
    let path = folder.appendingPathComponent("package.zip").path
    try writeSample(to: path, artefactFile: source)
    var bytes = [UInt8](FileManager.default.contents(atPath: path)!)
    // Flip one byte inside the stored artefact's data.
    let marker = Array(artefact[1000..<1016])
    let at = try #require(firstIndex(of: marker, in: bytes))
    bytes[at] ^= 0xFF
    FileManager.default.createFile(atPath: path, contents: Data(bytes))

    let reader = try ZipArchiveReader(path: path)
    let entry = try reader.entries()[1]
    #expect {
      try reader.read(entry, maxBytes: 1 << 20) { _ in }
    } throws: { error in
      (error as? ZipError)?.isChecksumMismatch == true
    }
  }

  @Test func capsBytesWhateverTheHeaderSays() throws {
    let folder = try temporaryFolder()
    let source = folder.appendingPathComponent("artefact.bin").path
    FileManager.default.createFile(atPath: source, contents: Data(artefact))
    let path = folder.appendingPathComponent("package.zip").path
    try writeSample(to: path, artefactFile: source)
    let reader = try ZipArchiveReader(path: path)
    let entry = try reader.entries()[1]
    #expect {
      try reader.read(entry, maxBytes: 10_000) { _ in }
    } throws: { error in
      (error as? ZipError)?.kind == .overLimit
    }
  }

  @Test func aFolderThatCannotBeWrittenFailsAtCreationAndLeavesNothing() throws {
    let folder = try temporaryFolder()
    let missing = folder.appendingPathComponent("no/such/folder/package.zip").path
    #expect {
      _ = try ZipArchiveWriter(path: missing, timestamp: ZipTimestamp(secondsSince1970: 0))
    } throws: { error in
      (error as? ZipError)?.kind == .open && (error as? ZipError)?.systemErrno == ENOENT
    }
    #expect(!FileManager.default.fileExists(atPath: missing))
  }

  /// The archive's file is made owner-only and exclusively: an existing file or a planted
  /// symbolic link at the temporary name is never written through.
  @Test func theArchiveIsCreatedExclusivelyAndOwnerOnly() throws {
    let folder = try temporaryFolder()
    let path = folder.appendingPathComponent("package.zip").path
    try FileManager.default.createSymbolicLink(
      atPath: path, withDestinationPath: folder.appendingPathComponent("x").path)
    #expect(throws: ZipError.self) {
      _ = try ZipArchiveWriter(path: path, timestamp: ZipTimestamp(secondsSince1970: 0))
    }
    #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("x").path))
    try FileManager.default.removeItem(atPath: path)
    let writer = try ZipArchiveWriter(path: path, timestamp: ZipTimestamp(secondsSince1970: 0))
    try writer.add(name: "manifest.xml", bytes: manifest, compression: .deflated)
    try writer.commit()
    let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
    #expect(mode == 0o600)
  }

  @Test func anEmptyArchiveIsRefusedAtCommit() throws {
    let folder = try temporaryFolder()
    let path = folder.appendingPathComponent("empty.zip").path
    let writer = try ZipArchiveWriter(path: path, timestamp: ZipTimestamp(secondsSince1970: 0))
    #expect(throws: ZipError.self) { try writer.commit() }
  }

  @Test func anUncommittedWriterLeavesNoFile() throws {
    let folder = try temporaryFolder()
    let path = folder.appendingPathComponent("discarded.zip").path
    do {
      let writer = try ZipArchiveWriter(path: path, timestamp: ZipTimestamp(secondsSince1970: 0))
      try writer.add(name: "manifest.xml", bytes: manifest, compression: .deflated)
    }
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
  }

  @Test func truncatedAndNonZipInputIsRefusedAtOpen() throws {
    let folder = try temporaryFolder()
    let source = folder.appendingPathComponent("artefact.bin").path
    FileManager.default.createFile(atPath: source, contents: Data(artefact))
    let path = folder.appendingPathComponent("package.zip").path
    try writeSample(to: path, artefactFile: source)
    let bytes = FileManager.default.contents(atPath: path)!
    FileManager.default.createFile(atPath: path, contents: bytes.prefix(bytes.count / 2))
    #expect(throws: ZipError.self) { try ZipArchiveReader(path: path) }
    FileManager.default.createFile(atPath: path, contents: Data("%PDF-1.5".utf8))
    #expect(throws: ZipError.self) { try ZipArchiveReader(path: path) }
  }

  @Test(arguments: [
    (Int64(1_700_000_000), UInt16(0x576E), UInt16(0xB1AA)),  // 2023-11-14 22:13:20 UTC
    (Int64(0), UInt16(0x0021), UInt16(0x0000)),  // before 1980: clamped to 1980-01-01
  ])
  func dosTimestampsAreUTC(seconds: Int64, date: UInt16, time: UInt16) {
    let stamp = ZipTimestamp(secondsSince1970: seconds)
    #expect(stamp.date == date)
    #expect(stamp.time == time)
  }
}

func firstIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
  guard needle.count <= haystack.count else { return nil }
  for start in 0...(haystack.count - needle.count)
  where haystack[start..<(start + needle.count)].elementsEqual(needle) {
    return start
  }
  return nil
}

@Suite struct Zip64Tests {
  /// More entries than a classic zip can count (65,535): libzip must switch to ZIP64 and the
  /// archive must read back whole, never silently wrap the count.
  @Test func seventyThousandEntriesAreWrittenAsZip64() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("many.zip").path
    let writer = try ZipArchiveWriter(path: path, timestamp: ZipTimestamp(secondsSince1970: 1_700_000_000))
    for index in 0..<70_000 {
      try writer.add(name: "files/x/\(index + 1).pdf", bytes: [UInt8(truncatingIfNeeded: index)], compression: .stored)
    }
    try writer.commit()
    let reader = try ZipArchiveReader(path: path)
    #expect(reader.count == 70_000)
    let entries = try reader.entries()
    #expect(try reader.readAll(entries[69_999], maxBytes: 10) == [UInt8(truncatingIfNeeded: 69_999)])
    // The ZIP64 end-of-central-directory record (signature PK\x06\x06) is present.
    let tail = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)).suffix(200))
    #expect(firstIndex(of: [0x50, 0x4B, 0x06, 0x06], in: tail) != nil)
  }
}
