import Digest
import Foundation
import Inflate
import LibDeflate
import Testing

@Suite struct DigestTests {
  @Test(arguments: [
    ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
    ("學習歷程", "2e0a370e37adbc9cf7c8cb43a347e0a3685fc5b83a267f99482eb969617b47f0"),
  ])
  func knownDigests(text: String, expected: String) throws {
    #expect(try DigestHasher.hex(of: Array(text.utf8)) == expected)
    // Fed one byte at a time, the stream gives the same digest.
    let hasher = try DigestHasher(.sha256)
    for byte in Array(text.utf8) { [byte].withUnsafeBytes { hasher.update($0) } }
    #expect(try hasher.finish() == expected)
  }

  @Test func resetStartsOver() throws {
    let hasher = try DigestHasher(.sha256)
    Array("junk".utf8).withUnsafeBytes { hasher.update($0) }
    try hasher.reset()
    Array("abc".utf8).withUnsafeBytes { hasher.update($0) }
    #expect(try hasher.finish() == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
  }
}

@Suite struct InflateTests {
  // zlib.compress(b"/URI (https://example.com)" * 3), made with Python.
  static let compressed: [UInt8] = [
    0x78, 0x9c, 0xd3, 0x0f, 0x0d, 0xf2, 0x54, 0xd0, 0xc8, 0x28, 0x29, 0x29, 0x28, 0xb6, 0xd2, 0xd7,
    0x4f, 0xad, 0x48, 0xcc, 0x2d, 0xc8, 0x49, 0xd5, 0x4b, 0xce, 0xcf, 0xd5, 0xd4, 0x27, 0x43, 0x06,
    0x00, 0xf8, 0x43, 0x1a, 0x1d,
  ]

  @Test func inflatesAZlibStream() throws {
    let result = InflateTests.compressed.withUnsafeBytes { Inflate.count([$0], maxOutput: 1 << 20) }
    let expected = String(repeating: "/URI (https://example.com)", count: 3).utf8.count
    let count = try result.get()
    #expect(count.produced == expected && count.ended && count.leftOver == 0)
  }

  @Test func refusesOutputOverTheCap() throws {
    let result = InflateTests.compressed.withUnsafeBytes { Inflate.count([$0], maxOutput: 10) }
    let count = try result.get()
    #expect(count.produced > 10 && !count.ended)
  }

  @Test func garbageIsCorrupt() {
    let result = [UInt8](repeating: 0xAB, count: 40).withUnsafeBytes { Inflate.count([$0], maxOutput: 100) }
    guard case .failure(.corrupt) = result else {
      Issue.record("expected corrupt, got \(result)")
      return
    }
  }

  @Test func crc32MatchesTheStandardCheckValue() {
    #expect(Array("123456789".utf8).withUnsafeBytes { Inflate.crc32($0) } == 0xCBF4_3926)
  }
}

/// libdeflate's whole-buffer path gives the answers zlib's streaming inflate gives.
@Suite struct ZlibBufferTests {
  /// `zlib.compress(b"portfolio" * 1000)` made by Python's zlib, then cut or extended below.
  static func stream() throws -> [UInt8] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [
      "python3", "-c", "import sys,zlib; sys.stdout.buffer.write(zlib.compress(b'portfolio'*1000, 9))",
    ]
    let out = Pipe()
    process.standardOutput = out
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return [UInt8](data)
  }

  @Test func aWholeStreamEndsWithItsSizeAndLeftOver() throws {
    let bytes = try Self.stream() + [1, 2, 3]
    let outcome = bytes.withUnsafeBytes { ZlibBuffer.decompress($0, room: 9001) }
    #expect(outcome == .ended(produced: 9000, leftOver: 3))
  }

  @Test func moreThanTheRoomIsSaid() throws {
    let bytes = try Self.stream()
    #expect(bytes.withUnsafeBytes { ZlibBuffer.decompress($0, room: 8999) } == .moreThan(8999))
  }

  /// A cut stream is never taken as ended (libdeflate reads past the end as zeros, so it may also
  /// say "more than the room": the PNG check then asks zlib).
  @Test func aCutOrFlippedStreamNeverEnds() throws {
    var bytes = try Self.stream()
    for cut in [5, 40, bytes.count / 2] {
      let outcome = Array(bytes.dropLast(cut)).withUnsafeBytes { ZlibBuffer.decompress($0, room: 9001) }
      #expect(outcome == .invalid || outcome == .moreThan(9001), "cut \(cut): \(outcome)")
    }
    bytes[bytes.count - 1] ^= 0xFF  // the Adler-32 no longer matches
    #expect(bytes.withUnsafeBytes { ZlibBuffer.decompress($0, room: 9001) } == .invalid)
  }

  /// One decompressor kept by a worker gives every stream the answer a fresh one gives, whatever
  /// came before it: a larger stream, a failed one, a stream split over several pieces (IDAT chunks).
  @Test func aReusedDecompressorAnswersEachStreamAlone() throws {
    let bytes = try Self.stream()
    let inflater = try #require(ZlibDecompressor())
    bytes.withUnsafeBytes { whole in
      #expect(inflater.decompress([whole], room: 9001) == .ended(produced: 9000, leftOver: 0))
      let cut = UnsafeRawBufferPointer(rebasing: whole[0..<whole.count / 2])
      #expect(inflater.decompress([cut], room: 9001) != .ended(produced: 9000, leftOver: 0))
      #expect(inflater.decompress([whole], room: 100) == .moreThan(100))
      for split in [1, 7, whole.count / 2, whole.count - 1] {
        let pieces = [
          UnsafeRawBufferPointer(rebasing: whole[0..<split]), UnsafeRawBufferPointer(rebasing: whole[split..<split]),
          UnsafeRawBufferPointer(rebasing: whole[split...]),
        ]
        #expect(inflater.decompress(pieces, room: 9001) == .ended(produced: 9000, leftOver: 0), "split at \(split)")
      }
    }
  }

  @Test func libdeflateCRC32IsZlibs() {
    var bytes = Array("123456789".utf8)
    #expect(bytes.withUnsafeBytes { deflateCRC32($0) } == 0xCBF4_3926)
    bytes = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 7) }
    #expect(bytes.withUnsafeBytes { deflateCRC32($0) } == bytes.withUnsafeBytes { Inflate.crc32($0) })
  }
}
