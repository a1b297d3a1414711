import Digest
import Foundation
import Testing

@testable import PortfolioCore

/// Hashing a step ahead of a parser must give the digests of the whole file, and the JPEG scan
/// through entropy-coded data must end where the plain byte-by-byte search ended, fed or not.
@Suite struct DigestFeedTests {
  /// Deterministic bytes (a linear congruential generator), with 0xFF and marker bytes often.
  static func bytes(_ count: Int, seed: UInt64) -> [UInt8] {
    var state = seed
    return (0..<count).map { _ in
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      let value = UInt8(truncatingIfNeeded: state >> 56)
      switch value % 8 {
      case 0: return 0xFF
      case 1: return [0x00, 0xD3, 0xD9, 0xFF, 0xC4][Int(value / 8) % 5]
      default: return value
      }
    }
  }

  @Test func fedDigestsAreTheWholeFilesDigests() throws {
    let data = Self.bytes(3 * DigestFeed.step + 1_234, seed: 7)
    let expected = try DigestHasher.hex(of: data)
    let expectedMD5 = try DigestHasher.hex(of: data, .md5)
    for asks in [[], [0, 1, 5], [DigestFeed.step - 1, DigestFeed.step, 2 * DigestFeed.step + 9], [data.count + 50]] {
      let hasher = try DigestHasher(.sha256)
      let md5 = try DigestHasher(.md5)
      data.withUnsafeBytes { whole in
        let feed = DigestFeed(whole, hasher: hasher, md5: md5)
        for end in asks {
          feed.through(end)
          #expect(feed.fed >= min(end, data.count) && feed.fed <= data.count)
        }
        feed.finish()
        #expect(feed.fed == data.count)
      }
      #expect(try hasher.finish() == expected, "asked \(asks)")
      #expect(try md5.finish() == expectedMD5, "asked \(asks)")
    }
  }

  /// The search the parser made before: memchr for each 0xFF, passing over stuffed bytes,
  /// restarts and fill bytes.
  static func referenceEnd(_ bytes: [UInt8], from start: Int) -> Int {
    var offset = start
    func next(_ from: Int) -> Int? { from < bytes.count ? bytes[from...].firstIndex(of: 0xFF) : nil }
    while let marker = next(offset), marker + 1 < bytes.count {
      offset = marker
      let byte = bytes[offset + 1]
      if byte != 0x00 && !(0xD0...0xD7).contains(byte) && byte != 0xFF { break }
      offset += 1
    }
    if next(offset) == nil { offset = bytes.count }
    return offset
  }

  @Test func entropyScanEndsWhereTheByteSearchEnded() throws {
    var cases: [[UInt8]] = [
      [], [0xFF], [0x12, 0xFF], [0xFF, 0xFF], [0xFF, 0x00, 0xFF], [0xFF, 0xD0, 0x00, 0xFF, 0xFF],
      [0x01, 0xFF, 0x00, 0x02, 0xFF, 0xD9], [0xFF, 0xFF, 0xC4, 0x00],
    ]
    for seed in 1...40 { cases.append(Self.bytes(Int(seed) * 37, seed: UInt64(seed))) }
    // Long runs without any marker, so that a step of the feed ends inside them.
    var quiet = [UInt8](repeating: 0x5A, count: DigestFeed.step * 2 + 100)
    for index in stride(from: 3, to: quiet.count, by: 211) {
      quiet[index] = 0xFF
      quiet[index + 1] = 0x00
    }
    cases.append(quiet)
    cases.append(quiet + [0xFF])
    cases.append(quiet + [0xFF, 0xD9])
    for bytes in cases {
      for start in Set([0, 1, bytes.count / 3, bytes.count / 2, max(0, bytes.count - 2), bytes.count]) {
        let expected = Self.referenceEnd(bytes, from: start)
        let plain = bytes.withUnsafeBytes { JPEGParser.entropyEnd($0, from: start, feed: nil) }
        #expect(plain == expected, "\(bytes.count) bytes from \(start)")
        let hasher = try DigestHasher(.sha256)
        let fed = bytes.withUnsafeBytes { whole in
          JPEGParser.entropyEnd(whole, from: start, feed: DigestFeed(whole, hasher: hasher, md5: nil))
        }
        #expect(fed == expected, "fed, \(bytes.count) bytes from \(start)")
      }
    }
  }
}
