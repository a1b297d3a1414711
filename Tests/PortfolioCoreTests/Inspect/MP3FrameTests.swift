import Testing

@testable import PortfolioCore

/// The MP3 frame walk reads each header through a table of frame kinds. Every one of the 65,536
/// second/third header byte pairs must give the frame ISO 11172-3 / 13818-3 define: Layer III
/// is 144 × bitrate / rate bytes (MPEG-1) or 72 × bitrate / rate (MPEG-2 and 2.5), plus the
/// padding byte; 1,152 or 576 samples. Written here from the standards' tables, not the parser's.
@Suite struct MP3FrameTests {
  /// (length, seconds) of the frame a header starting `FF second third` describes, or `nil`.
  static func reference(_ second: UInt8, _ third: UInt8) -> (length: Int, seconds: Double)? {
    guard second & 0xE0 == 0xE0 else { return nil }
    let version = ["2.5", nil, "2", "1"][Int(second >> 3) & 3]
    let isLayerIII = (second >> 1) & 3 == 1
    let kbps: [String: [Int]] = [
      "1": [32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
      "2": [8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
    ]
    let rates: [String: [Int]] = [
      "1": [44100, 48000, 32000], "2": [22050, 24000, 16000], "2.5": [11025, 12000, 8000],
    ]
    let bitrateIndex = Int(third >> 4)
    let rateIndex = Int(third >> 2) & 3
    guard let version, isLayerIII, (1...14).contains(bitrateIndex), rateIndex < 3 else { return nil }
    let bitrate = kbps[version == "1" ? "1" : "2"]![bitrateIndex - 1] * 1000
    let rate = rates[version]![rateIndex]
    let padding = Int(third >> 1) & 1
    let length = (version == "1" ? 144 : 72) * bitrate / rate + padding
    return (length, Double(version == "1" ? 1152 : 576) / Double(rate))
  }

  @Test func everyHeaderGivesTheStandardsFrame() {
    var valid = 0
    for second in 0...255 {
      for third in 0...255 {
        let header: [UInt8] = [0xFF, UInt8(second), UInt8(third), 0x44]
        let frame = header.withUnsafeBytes { MP3Parser.frame($0, at: 0) }
        let expected = Self.reference(UInt8(second), UInt8(third))
        #expect(frame?.length == expected?.length, "FF \(second) \(third)")
        #expect(frame?.seconds == expected?.seconds, "FF \(second) \(third)")
        if frame != nil { valid += 1 }
      }
    }
    // 3 versions × 14 bitrates × 3 rates, each with and without CRC (×2), padding and private bit (×4).
    #expect(valid == 3 * 14 * 3 * 2 * 4)
  }

  @Test func aHeaderCutShortOrWithoutSyncIsNoFrame() {
    let header: [UInt8] = [0xFF, 0xFB, 0x90, 0x44]  // MPEG-1 Layer III, 128 kbps, 44.1 kHz
    #expect(header.withUnsafeBytes { MP3Parser.frame($0, at: 0) }?.length == 417)
    #expect(header.withUnsafeBytes { MP3Parser.frame(UnsafeRawBufferPointer(rebasing: $0[0..<3]), at: 0) } == nil)
    #expect([0xFE, 0xFB, 0x90, 0x44].withUnsafeBytes { MP3Parser.frame($0, at: 0) } == nil)
  }
}
