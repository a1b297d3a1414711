import Digest
import Testing

/// Two buffers hashed together give, each, OpenSSL's SHA-256 of it alone: every length around
/// the block and padding edges (0–200 bytes, so that one of a pair ends in each place of a block
/// while the other goes on), lengths that share no full block, and large unequal ones.
@Suite(.enabled(if: SHA256Pair.isAvailable, "this CPU has no SHA extensions: files are hashed one at a time"))
struct SHA256PairTests {
  static func bytes(_ count: Int, seed: UInt64) -> [UInt8] {
    var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
    return (0..<count).map { _ in
      state ^= state << 13
      state ^= state >> 7
      state ^= state << 17
      return UInt8(truncatingIfNeeded: state)
    }
  }

  static func check(_ a: [UInt8], _ b: [UInt8]) throws {
    let pair = a.withUnsafeBytes { first in b.withUnsafeBytes { second in SHA256Pair.digests(first, second) } }
    let expected = (try DigestHasher.hex(of: a), try DigestHasher.hex(of: b))
    #expect(pair?.0 == expected.0, "first of \(a.count) and \(b.count) bytes")
    #expect(pair?.1 == expected.1, "second of \(a.count) and \(b.count) bytes")
  }

  @Test func everyShortLengthAgainstEveryOther() throws {
    for first in stride(from: 0, through: 200, by: 1) {
      for second in [0, 1, 55, 56, 63, 64, 65, 119, 120, 127, 128, 129, 200] {
        try Self.check(Self.bytes(first, seed: UInt64(first)), Self.bytes(second, seed: UInt64(1000 + second)))
      }
    }
  }

  @Test(arguments: [(1 << 20, 1 << 20), (3_000_001, 17), (64, 5_000_000), (262_144 + 63, 262_144 + 64)])
  func largeBuffers(first: Int, second: Int) throws {
    try Self.check(Self.bytes(first, seed: 7), Self.bytes(second, seed: 8))
  }

  @Test func theKnownDigest() throws {
    let abc = Array("abc".utf8)
    let pair = abc.withUnsafeBytes { a in [UInt8]().withUnsafeBytes { empty in SHA256Pair.digests(a, empty) } }
    #expect(pair?.0 == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    #expect(pair?.1 == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
  }
}
