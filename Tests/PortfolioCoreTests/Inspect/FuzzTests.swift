import Foundation
import TestSupport
import Testing

@testable import PortfolioCore

/// A small deterministic generator (SplitMix64), so every run mutates the same way.
struct SeededGenerator: RandomNumberGenerator {
  var state: UInt64
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// Hostile variants of the real fixtures: cut, flipped, spliced, lengths set to extremes.
enum Mutations {
  static let fixtures = [
    "application_pdf--report.pdf", "image_jpeg--exif-phone-photo.jpg", "image_png--diagram.png",
    "audio_mpeg--id3-cover-art.mp3", "audio_mpeg--frames-only.mp3", "video_mp4--clip.mp4",
  ]

  static func variants(count: Int, seed: UInt64) throws -> [[UInt8]] {
    var random = SeededGenerator(state: seed)
    let originals = try fixtures.map { [UInt8](try fixtureBytes($0)) }
    var out: [[UInt8]] = []
    for index in 0..<count {
      var bytes = originals[index % originals.count]
      switch index % 8 {
      case 0: bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &random)))
      case 1:
        for _ in 0..<Int.random(in: 1...20, using: &random) {
          bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
        }
      case 2:
        // Extreme lengths where each format keeps one: a 32-bit field set to 0xFFFFFFF0 or 1.
        let at = Int.random(in: 0..<max(1, bytes.count - 4), using: &random)
        let value: [UInt8] = Bool.random(using: &random) ? [0xFF, 0xFF, 0xFF, 0xF0] : [0, 0, 0, 1]
        bytes.replaceSubrange(at..<min(bytes.count, at + 4), with: value)
      case 3:
        bytes = (0..<Int.random(in: 0...5000, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
      case 4: bytes += originals[Int.random(in: 0..<originals.count, using: &random)]
      case 5: bytes = [0x49, 0x44, 0x33, 4, 0, 0, 0x7F, 0x7F, 0x7F, 0x7F] + bytes.prefix(100)  // ID3 claiming 256 MB
      case 6: bytes = Array(bytes.prefix(12)) + [0, 0, 0, 1] + Array("moov".utf8) + [UInt8](repeating: 0xFF, count: 8)
      default: bytes = [0xFF, 0xD8] + [UInt8](repeating: 0xFF, count: Int.random(in: 0...300, using: &random))
      }
      out.append(bytes)
    }
    return out
  }
}

@Suite struct FuzzTests {
  /// Every parser on every hostile variant: no crash, no hang, a verdict each time.
  @Test func parsersSurviveThousandsOfHostileVariants() throws {
    let variants = try Mutations.variants(count: 4000, seed: 7)
    var problems = 0
    for bytes in variants {
      for mime in ["application/pdf", "image/png", "image/jpeg", "video/mp4", "audio/mpeg"] {
        let facts = bytes.withUnsafeBytes {
          FormatParsers.inspect(mime: mime, $0, limits: ParseLimits(maxPixels: 100_000_000))
        }
        problems += facts.problems.count
      }
    }
    #expect(problems > 0)
  }

  @Test func deeplyNestedItemJSONIsRefusedNotACrash() throws {
    let drop = try TestDrop()
    defer { drop.remove() }
    try drop.write("uploads/110001/mp-1/item.json", String(repeating: "[", count: 100_000))
    try drop.write(
      "uploads/110001/mp-2/item.json", #"{"itemId":"mp-2","kind":"# + String(repeating: "{\"a\":", count: 50_000))
    let scan = try DropScanner().scan(drop.root)
    #expect(scan.findings.map(\.code) == [.badMetadata, .badMetadata])
  }
}

@Suite struct RealCorpusMutationTests {
  /// The real-program corpus, cut, flipped, with 32-bit fields set to extremes and regions
  /// repeated: every parser and the strict JSON check give each variant a verdict, and none takes
  /// longer than the hang guard (generous: a hang, not a speed target; speed is in scripts/bench.sh).
  @Test func everyMutantOfTheRealCorpusGetsAVerdict() throws {
    let seeds = try RealCorpusTests.names.map {
      [UInt8](try Data(contentsOf: URL(fileURLWithPath: RealCorpusTests.folder + "/" + $0)))
    }
    try #require(seeds.count >= 50)
    var random = SeededGenerator(state: 11)
    let guardTime = Duration.seconds(5)
    var refused = 0
    var judged = 0
    for index in 0..<1200 {
      var bytes = seeds[index % seeds.count]
      guard !bytes.isEmpty else { continue }
      switch index % 5 {
      case 0: bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &random)))
      case 1:
        for _ in 0..<Int.random(in: 1...40, using: &random) {
          bytes[Int.random(in: 0..<bytes.count, using: &random)] ^= UInt8.random(in: 1...255, using: &random)
        }
      case 2:
        for _ in 0..<Int.random(in: 1...8, using: &random) where bytes.count > 4 {
          let at = Int.random(in: 0..<(bytes.count - 4), using: &random)
          let extreme: [[UInt8]] = [[0xFF, 0xFF, 0xFF, 0xFF], [0, 0, 0, 0], [0x7F, 0xFF, 0xFF, 0xFF], [0, 0, 0, 1]]
          bytes.replaceSubrange(at..<(at + 4), with: extreme[Int.random(in: 0..<4, using: &random)])
        }
      case 3:
        let from = Int.random(in: 0..<bytes.count, using: &random)
        let piece = bytes[from..<min(bytes.count, from + Int.random(in: 1...4096, using: &random))]
        let at = Int.random(in: 0...bytes.count, using: &random)
        bytes.insert(contentsOf: Array(repeating: piece, count: Int.random(in: 1...8, using: &random)).joined(), at: at)
      default:
        bytes += seeds[Int.random(in: 0..<seeds.count, using: &random)]
      }
      let started = ContinuousClock.now
      bytes.withUnsafeBytes { raw in
        for mime in ["application/pdf", "image/png", "image/jpeg", "video/mp4", "audio/mpeg"] {
          judged += 1
          if !ContentChecks.facts(of: raw, as: mime).problems.isEmpty { refused += 1 }
        }
        _ = ContentChecks.itemJSONProblem(raw)
      }
      let elapsed = ContinuousClock.now - started
      #expect(elapsed < guardTime, "variant \(index) of \(RealCorpusTests.names[index % seeds.count]) took \(elapsed)")
    }
    // Every variant was judged by all five parsers, and the parsers do refuse: at least the four
    // parsers that are not the file's own refuse each variant, so well over half are refusals.
    #expect(judged == 1200 * 5)
    #expect(refused > judged / 2)
  }
}
