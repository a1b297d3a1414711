import Foundation
import Inflate
import TestSupport
import Testing

@testable import PortfolioCore

/// PNG chunks with correct CRCs, so each test breaks exactly one rule.
enum PNGSource {
  static func chunk(_ type: String, _ body: [UInt8]) -> [UInt8] {
    let typed = Array(type.utf8) + body
    let crc = typed.withUnsafeBytes { Inflate.crc32($0) }
    return bigEndian(UInt32(body.count)) + typed + bigEndian(crc)
  }

  static func bigEndian(_ value: UInt32) -> [UInt8] { [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: value >> $0) } }

  static func image(
    width: UInt32, height: UInt32, depth: UInt8 = 8, colour: UInt8 = 2, interlace: UInt8 = 0, idat: [UInt8]?
  )
    -> Data
  {
    var bytes = PNGParser.signature
    bytes += chunk("IHDR", bigEndian(width) + bigEndian(height) + [depth, colour, 0, 0, interlace])
    if let idat { bytes += chunk("IDAT", idat) }
    bytes += chunk("IEND", [])
    return Data(bytes)
  }
}

func inspect(_ mime: String, _ data: Data, maxPixels: Int = 100_000_000) -> ContentFacts {
  data.withUnsafeBytes { FormatParsers.inspect(mime: mime, $0, limits: ParseLimits(maxPixels: maxPixels)) }
}

func reasons(_ facts: ContentFacts) -> String { facts.problems.map { "\($0)" }.joined(separator: "; ") }

@Suite struct StructureChecksTests {
  /// 2×2 RGB, 8-bit: 2 rows of (1 filter byte + 6 bytes) = 14 bytes.
  static let rows = [UInt8](repeating: 0, count: 14)

  @Test func aPNGWhoseDataInflatesToTheHeaderSizeIsAccepted() throws {
    let idat = try #require(zlibCompress(Self.rows))
    let facts = inspect("image/png", PNGSource.image(width: 2, height: 2, idat: idat))
    #expect(facts.problems == [])
    #expect(facts.width == 2 && facts.height == 2)
  }

  @Test func pngStructureProblemsAreCorrupt() throws {
    let good = try #require(zlibCompress(Self.rows))
    let short = try #require(zlibCompress(Array(Self.rows.prefix(9))))
    let long = try #require(zlibCompress(Self.rows + Self.rows))
    let cases: [(Data, String)] = [
      (PNGSource.image(width: 0, height: 2, idat: good), "1 to 2³¹−1"),
      (PNGSource.image(width: 2, height: 2, depth: 4, idat: good), "bit depth 4 with colour type 2"),
      (PNGSource.image(width: 2, height: 2, interlace: 2, idat: good), "not 0/0/0–1"),
      (PNGSource.image(width: 2, height: 2, idat: nil), "no IDAT"),
      (PNGSource.image(width: 2, height: 2, idat: short), "ends early"),
      (PNGSource.image(width: 2, height: 2, idat: long), "more than the 14 bytes"),
      (PNGSource.image(width: 2, height: 2, idat: [0x78, 0x9C, 0xFF, 0xFF, 0xFF]), "does not inflate"),
      (PNGSource.image(width: 20_000, height: 20_000, idat: good), "too many pixels"),
    ]
    for (data, reason) in cases {
      let found = reasons(inspect("image/png", data))
      #expect(found.contains(reason), "expected \(reason): \(found)")
    }
  }

  @Test func anInterlacedPNGIsMeasuredPassByPass() throws {
    // Adam7 on 3×3 RGB 8-bit: passes 2 and 3 start outside the image.
    let header = PNGParser.Header(width: 3, height: 3, bitsPerPixel: 24, interlaced: true)
    // Pass sizes (w×h): 1×1, none, none, 1×1, 2×1, 1×2, 3×1 → rows of (1 + 3w) bytes.
    #expect(PNGParser.expectedSize(header) == 4 + 0 + 0 + 4 + 7 + 8 + 10)
  }

  /// A baseline JPEG from the samples with one byte changed.
  static func jpeg(patch: (inout [UInt8], Int) -> Void) throws -> Data {
    var bytes = [UInt8](try fixtureBytes("image_jpeg--jfif-photo.jpg"))
    let sof = try #require((0..<(bytes.count - 1)).first { bytes[$0] == 0xFF && bytes[$0 + 1] == 0xC0 })
    patch(&bytes, sof)
    return Data(bytes)
  }

  @Test func jpegFrameFieldsAndCodingProcesses() throws {
    #expect(inspect("image/jpeg", try Self.jpeg { _, _ in }).problems == [])
    let arithmetic = inspect("image/jpeg", try Self.jpeg { bytes, sof in bytes[sof + 1] = 0xC9 })
    guard case .unsupportedVariant(let content) = arithmetic.problems.first else {
      Issue.record("SOF9 should be refused as a variant: \(arithmetic.problems)")
      return
    }
    #expect(content.en.contains("arithmetic-coded"))
    let lossless = inspect("image/jpeg", try Self.jpeg { bytes, sof in bytes[sof + 1] = 0xC3 })
    #expect(reasons(lossless).contains("lossless"))
    let zeroWidth = inspect(
      "image/jpeg",
      try Self.jpeg { bytes, sof in
        bytes[sof + 7] = 0
        bytes[sof + 8] = 0
      })
    #expect(reasons(zeroWidth).contains("pixels"))
    let sampling = inspect("image/jpeg", try Self.jpeg { bytes, sof in bytes[sof + 11] = 0x50 })
    #expect(reasons(sampling).contains("sampling factors"))
    let huge = inspect("image/jpeg", try Self.jpeg { _, _ in }, maxPixels: 100)
    #expect(reasons(huge).contains("too many pixels"))
  }

  @Test func aJPEGWithoutHuffmanTablesIsCorrupt() throws {
    var bytes = [UInt8](try fixtureBytes("image_jpeg--jfif-photo.jpg"))
    // Turn every DHT segment into a COM segment of the same length.
    for index in 0..<(bytes.count - 1) where bytes[index] == 0xFF && bytes[index + 1] == 0xC4 {
      bytes[index + 1] = 0xFE
    }
    #expect(reasons(inspect("image/jpeg", Data(bytes))).contains("Huffman table"))
  }

  static func mp4(replacing old: String, with new: String) throws -> Data {
    var bytes = [UInt8](try fixtureBytes("video_mp4--clip.mp4"))
    let needle = Array(old.utf8)
    // Inside the movie box (the ftyp's compatible brands name avc1 too).
    let movie = try #require((0..<(bytes.count - 4)).first { Array(bytes[$0..<($0 + 4)]) == Array("moov".utf8) })
    let places = (movie..<(bytes.count - 4)).filter { Array(bytes[$0..<($0 + 4)]) == needle }
    try #require(!places.isEmpty)
    for at in places { bytes.replaceSubrange(at..<(at + 4), with: Array(new.utf8)) }
    return Data(bytes)
  }

  @Test func mp4TracksAreJudgedByTheirSampleEntries() throws {
    let clip = inspect("video/mp4", try fixtureBytes("video_mp4--clip.mp4"))
    #expect(clip.problems == [])
    let encrypted = inspect("video/mp4", try Self.mp4(replacing: "avc1", with: "encv"))
    #expect(encrypted.problems.contains { if case .drmProtected = $0 { true } else { false } })
    let part2 = inspect("video/mp4", try Self.mp4(replacing: "avc1", with: "mp4v"))
    #expect(reasons(part2).contains("MPEG-4 Part 2"))
    let noTracks = inspect("video/mp4", try Self.mp4(replacing: "trak", with: "free"))
    #expect(reasons(noTracks).contains("no video or audio track"))
  }

  @Test func anEncryptedVideoIsRefusedAsDRMProtected() throws {
    let drop = try TestDrop()
    defer { drop.remove() }
    try item(drop, file: "v.mp4", role: "media", data: try Self.mp4(replacing: "avc1", with: "encv"))
    #expect(findingCodes(try validate(drop)) == ["drm-protected"])
  }
}
