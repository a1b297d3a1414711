import Foundation
import Magic
import TestSupport
import Testing

@testable import PortfolioCore

/// An MP3 behind one ID3v2 tag is sniffed on the bytes after the tag, which libmagic's own rule
/// for the tag sniffs again: the answer must be libmagic's answer for the whole window, for every
/// MP3 of the samples and for tags made to differ in each way libmagic's rule does not follow
/// (a footer, padding after the tag, a second tag, a tag past half the window).
@Suite struct NestedAudioSniffTests {
  static let repository = TestDrop.repository.path

  /// Every MP3 the samples hold (real programs' files, the sniffing fixtures, the drop's).
  static func sampleMP3s() -> [String] {
    let root = repository + "/samples"
    let found = FileManager.default.enumerator(atPath: root)?.compactMap { $0 as? String } ?? []
    return found.filter { $0.lowercased().hasSuffix(".mp3") }.sorted().map { root + "/" + $0 }
  }

  /// The audio of an MP3: its bytes after its ID3v2 tags and the padding after them.
  static func audio(of bytes: [UInt8]) -> [UInt8] {
    var start = 0
    while let tag = bytes.withUnsafeBytes({
      MagicSniffer.id3v2TagLength(UnsafeRawBufferPointer(rebasing: $0[start...]))
    }),
      start + tag <= bytes.count
    {
      start += tag
    }
    while start < bytes.count, bytes[start] == 0 { start += 1 }
    return Array(bytes[start...])
  }

  /// An ID3v2 tag of `size` body bytes (zeros), version `version`, flags `flags`.
  static func tag(size: Int, version: UInt8 = 3, flags: UInt8 = 0) -> [UInt8] {
    let syncsafe = [UInt8(size >> 21 & 0x7F), UInt8(size >> 14 & 0x7F), UInt8(size >> 7 & 0x7F), UInt8(size & 0x7F)]
    let footer = flags & 0x10 != 0 ? Array("3DI".utf8) + [version, 0, flags] + syncsafe : []
    return Array("ID3".utf8) + [version, 0, flags] + syncsafe + [UInt8](repeating: 0, count: size) + footer
  }

  /// What is checked for each file: the answer is libmagic's for the whole window, and whether
  /// the shortcut gave it (the bytes after the tag are `audio/mpeg` to libmagic).
  static func check(_ bytes: [UInt8], sniffer: MagicSniffer) throws -> (same: Bool, taken: Bool, type: String?) {
    try bytes.withUnsafeBytes { raw in
      let whole = try sniffer.mimeType(of: FileInspector.sniffWindowOf(raw))
      let answer = FileInspector.libmagicType(of: raw, sniffer: sniffer)
      let taken = try FileInspector.nestedAudio(raw).map { try sniffer.mimeType(of: $0) == "audio/mpeg" } ?? false
      return (answer == whole, taken, answer)
    }
  }

  @Test func theSamplesMP3sGetLibmagicsAnswerForTheWholeWindow() throws {
    let sniffer = try MagicSniffer(bytesMax: FileInspector.sniffWindow)
    let files = Self.sampleMP3s()
    #expect(files.count >= 12)
    var taken = 0
    for file in files {
      let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
      let result = try Self.check(bytes, sniffer: sniffer)
      #expect(result.same, "\(file): \(result.type ?? "nil")")
      if result.taken { taken += 1 }
    }
    // Most of them start with one plain tag: the shortcut gave their answer.
    #expect(taken >= files.count / 2)
  }

  @Test func tagsLibmagicReadsOtherwiseAreLeftToTheWholeWindow() throws {
    let sniffer = try MagicSniffer(bytesMax: FileInspector.sniffWindow)
    let source = Self.repository + "/samples/sniff/audio_mpeg--id3-tagged.mp3"
    let frames = Self.audio(of: [UInt8](try Data(contentsOf: URL(fileURLWithPath: source))))
    #expect(frames.count > 1_000)
    #expect(frames.first == 0xFF)
    // (bytes, the shortcut gives the answer)
    let cases: [(String, [UInt8], Bool)] = [
      ("one tag", Self.tag(size: 100) + frames, true),
      ("one ID3v2.2 tag", Self.tag(size: 0, version: 2) + frames, true),
      ("one ID3v2.4 tag, unsynchronised", Self.tag(size: 5_000, version: 4, flags: 0x80) + frames, true),
      ("a tag with a footer", Self.tag(size: 100, version: 4, flags: 0x10) + frames, false),
      ("padding after the tag", Self.tag(size: 100) + [UInt8](repeating: 0, count: 17) + frames, false),
      ("two tags", Self.tag(size: 100) + Self.tag(size: 50, version: 4) + frames, false),
      ("a tag past half the window", Self.tag(size: 40_000) + frames, false),
      ("frames alone", frames, false),
      ("a tag before a PNG", Self.tag(size: 100) + [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + frames, false),
      // A tag that claims more than the file holds (the fuzzer's find: a range that ran backwards).
      ("a tag longer than the file", Array(Self.tag(size: 1_000).prefix(300)), false),
      ("a tag ending three bytes before the end", Self.tag(size: 100) + [0xFF, 0xFB, 0x90], false),
      ("a tag ending at the end", Self.tag(size: 100), false),
    ]
    for (label, bytes, shortcut) in cases {
      let result = try Self.check(bytes, sniffer: sniffer)
      #expect(result.same, "\(label): \(result.type ?? "nil")")
      #expect(result.taken == shortcut, "\(label)")
    }
    // With a footer libmagic looks for the audio where the footer is, and does not find it: the
    // answer stays its answer, not the audio after the footer.
    let footer = try Self.check(Self.tag(size: 100, version: 4, flags: 0x10) + frames, sniffer: sniffer)
    #expect(footer.type == "application/octet-stream")
    #expect(try Self.check(Self.tag(size: 100) + frames, sniffer: sniffer).type == "audio/mpeg")
  }
}
