import Digest
import Foundation
import TestSupport
import Testing

@testable import PortfolioCore

/// Two uploads hashed together (`FileInspector.Partner`) are each inspected exactly as alone:
/// every sample upload after every other, read or mapped; a partner that is not asked about
/// next, cannot be prepared, or changes before its turn is opened (again) at its turn.
@Suite(.enabled(if: SHA256Pair.isAvailable, "this CPU has no SHA extensions: no upload is hashed with a partner"))
struct PairedHashingTests {
  static func inspector(mappedFrom: Int64 = 1 << 20, maxParsedBytes: Int = 10 << 20) throws -> FileInspector {
    let inspector = try FileInspector(maxParsedBytes: maxParsedBytes, limits: try PolicyTable.bundled().images)
    inspector.mappedFrom = mappedFrom
    inspector.pairedFrom = 0
    return inspector
  }

  static func partner(_ path: String) -> () -> FileInspector.Partner? {
    { FileInspector.Partner(path: path, withMD5: true, scanned: false) }
  }

  /// Every regular file under the samples' uploads and real-world files, largest first.
  static func sampleFiles() throws -> [String] {
    var files: [(String, Int)] = []
    for root in [TestDrop.samples + "/uploads", TestDrop.repository.appendingPathComponent("samples/real").path] {
      guard let walker = FileManager.default.enumerator(atPath: root) else { continue }
      for case let relative as String in walker {
        let path = root + "/" + relative
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        if attributes[.type] as? FileAttributeType == .typeRegular, let size = attributes[.size] as? Int {
          files.append((path, size))
        }
      }
    }
    return files.sorted { $0.1 > $1.1 }.map(\.0)
  }

  @Test(arguments: [Int64(1 << 20), Int64.max])
  func everySampleUploadAfterAnotherIsInspectedAsAlone(mappedFrom: Int64) throws {
    let files = try Self.sampleFiles()
    let paired = try Self.inspector(mappedFrom: mappedFrom)
    let alone = try Self.inspector(mappedFrom: mappedFrom)
    var prepared = 0
    for (first, second) in zip(files, files.dropFirst()) {
      let a = try paired.inspect(path: first, withMD5: true, partner: Self.partner(second))
      if paired.prepared != nil { prepared += 1 }
      let b = try paired.inspect(path: second, withMD5: true)
      #expect(a == (try alone.inspect(path: first, withMD5: true)), "\(first)")
      #expect(b == (try alone.inspect(path: second, withMD5: true)), "\(second) after \(first)")
    }
    // Every upload found its partner (none is over the limit, all are regular files).
    #expect(prepared == files.count - 1 && files.count > 100, "\(prepared) of \(files.count - 1) pairs")
  }

  @Test func aPartnerNotAskedAboutNextIsLetGo() throws {
    let files = try Self.sampleFiles()
    let paired = try Self.inspector()
    let alone = try Self.inspector()
    _ = try paired.inspect(path: files[0], partner: Self.partner(files[1]))
    #expect(paired.prepared != nil)
    #expect(try paired.inspect(path: files[2], withMD5: true) == (try alone.inspect(path: files[2], withMD5: true)))
    #expect(paired.prepared == nil)
    #expect(try paired.inspect(path: files[1], withMD5: true) == (try alone.inspect(path: files[1], withMD5: true)))
    // Asked about without the MD5 it was prepared with: read again, with the digests asked for.
    _ = try paired.inspect(path: files[0], partner: Self.partner(files[1]))
    #expect(try paired.inspect(path: files[1]) == (try alone.inspect(path: files[1])))
  }

  @Test func aPartnerThatCannotBePreparedIsOpenedAtItsTurn() throws {
    // The current upload is within the limit (1 MiB here); each partner below is not preparable.
    let paired = try Self.inspector(maxParsedBytes: 1 << 20)
    try FileManager.default.createDirectory(atPath: Scratch.root, withIntermediateDirectories: true)
    let current = Scratch.path("current", suffix: ".bin")
    #expect(FileManager.default.createFile(atPath: current, contents: Data(repeating: 1, count: 300_000)))
    let missing = Scratch.path("missing", suffix: ".pdf")
    _ = try paired.inspect(path: current, partner: Self.partner(missing))
    #expect(paired.prepared == nil)
    #expect(throws: FileSystem.OpenFailure.self) { try paired.inspect(path: missing, withMD5: true) }
    let fifo = Scratch.path("fifo", suffix: ".pdf")
    #expect(mkfifo(fifo, 0o600) == 0)
    defer { unlink(fifo) }
    _ = try paired.inspect(path: current, partner: Self.partner(fifo))
    #expect(paired.prepared == nil)
    // Over every limit: only sniffed at its turn, never read ahead.
    let huge = Scratch.path("huge", suffix: ".bin")
    #expect(FileManager.default.createFile(atPath: huge, contents: Data(repeating: 2, count: 3 << 20)))
    _ = try paired.inspect(path: current, partner: Self.partner(huge))
    #expect(paired.prepared == nil)
    _ = try paired.inspect(path: current, partner: Self.partner(current))
    #expect(paired.prepared != nil, "the same upload prepares a partner within the limit")
  }

  @Test(arguments: [Int64(1 << 20), Int64.max])
  func aPartnerChangedBeforeItsTurnIsJudgedOnItsNewBytes(mappedFrom: Int64) throws {
    let large = try Self.sampleFiles()[0]
    let path = Scratch.path("changing", suffix: ".bin")
    try FileManager.default.createDirectory(atPath: Scratch.root, withIntermediateDirectories: true)
    let before = Data(repeating: 0x41, count: 1_500_000)
    #expect(FileManager.default.createFile(atPath: path, contents: before))
    let paired = try Self.inspector(mappedFrom: mappedFrom)
    _ = try paired.inspect(path: large, partner: Self.partner(path))
    #expect(paired.prepared != nil)
    // Rewritten in place (same file, same size, new bytes and times).
    let handle = try #require(FileHandle(forWritingAtPath: path))
    try handle.write(contentsOf: Data(repeating: 0x42, count: 1_500_000))
    try handle.close()
    var times = [timespec(tv_sec: 1_800_000_000, tv_nsec: 0), timespec(tv_sec: 1_800_000_000, tv_nsec: 0)]
    #expect(utimensat(AT_FDCWD, path, &times, 0) == 0)
    let judged = try paired.inspect(path: path, withMD5: true)
    #expect(judged == (try Self.inspector(mappedFrom: mappedFrom).inspect(path: path, withMD5: true)))
    #expect(judged.sha256 == (try DigestHasher.hex(of: [UInt8](repeating: 0x42, count: 1_500_000))))
  }
}
