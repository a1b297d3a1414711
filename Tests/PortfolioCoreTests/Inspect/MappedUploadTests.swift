import Foundation
import TestSupport
import Testing

@testable import PortfolioCore

/// Large uploads are read through a mapping: the same inspection as reading them, and a file cut
/// short while mapped neither ends the process nor is judged on zeros.
@Suite struct MappedUploadTests {
  static func file(_ bytes: [UInt8]) throws -> String {
    let path = Scratch.path("mapped", suffix: ".bin")
    try FileManager.default.createDirectory(atPath: Scratch.root, withIntermediateDirectories: true)
    #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
    return path
  }

  static func noise(_ count: Int, seed: UInt64) -> [UInt8] {
    var state = seed
    return (0..<count).map { _ in
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return UInt8(truncatingIfNeeded: state >> 56)
    }
  }

  @Test func aTruncationWhileMappedReadsAsZerosAndIsReported() throws {
    let path = try Self.file(Self.noise(3 << 20, seed: 1))
    let fd = open(path, O_RDONLY)
    defer { close(fd) }
    guard let mapped = MappedUpload(fd: fd, count: 3 << 20) else {
      Issue.record("the file could not be mapped")
      return
    }
    let first = mapped.bytes[100]
    #expect(truncate(path, (1 << 20) + 100) == 0)
    // Past the new end: zeros, not SIGBUS; before it, the file's bytes.
    #expect(mapped.bytes[(2 << 20) + 5] == 0)
    #expect(mapped.bytes[(3 << 20) - 1] == 0)
    #expect(mapped.bytes[100] == first)
    #expect(mapped.close() == true)
  }

  @Test func aMappingOfAnUnchangedFileIsNotReportedCut() throws {
    let bytes = Self.noise(2 << 20, seed: 2)
    let path = try Self.file(bytes)
    let fd = open(path, O_RDONLY)
    defer { close(fd) }
    guard let mapped = MappedUpload(fd: fd, count: bytes.count) else {
      Issue.record("the file could not be mapped")
      return
    }
    #expect(Array(mapped.bytes) == bytes)
    #expect(mapped.close() == false)
  }

  @Test func aMappedLargeFileIsInspectedExactlyAsARead() throws {
    let photo = TestDrop.samples + "/uploads/110003/co-108-1-0001/建模.jpg"
    let size = try #require(try FileManager.default.attributesOfItem(atPath: photo)[.size] as? Int)
    #expect(size >= 1 << 20)
    let mapping = try FileInspector(maxParsedBytes: 10 << 20, limits: try PolicyTable.bundled().images)
    let reading = try FileInspector(maxParsedBytes: 10 << 20, limits: try PolicyTable.bundled().images)
    reading.mappedFrom = .max
    var mapped = 0
    mapping.afterMapping = { _ in mapped += 1 }
    let viaMap = try mapping.inspect(path: photo, withMD5: true)
    #expect(mapped == 1)
    #expect(viaMap == (try reading.inspect(path: photo, withMD5: true)))
    #expect(viaMap.mime == "image/jpeg" && viaMap.bytes == Int64(size) && viaMap.md5?.count == 32)
  }

  @Test func aFileCutShortWhileMappedIsJudgedByWhatIsThereNow() throws {
    let path = try Self.file(Self.noise(3 << 20, seed: 3))
    let inspector = try FileInspector(maxParsedBytes: 10 << 20, limits: try PolicyTable.bundled().images)
    inspector.afterMapping = { path in _ = truncate(path, 600_000) }
    let cut = try inspector.inspect(path: path)
    let fresh = try FileInspector(maxParsedBytes: 10 << 20, limits: try PolicyTable.bundled().images)
    let now = try fresh.inspect(path: path)
    #expect(cut.bytes == 600_000)
    #expect(cut == now)
  }
}
