import CLibMagic
import Foundation
import Testing

@testable import Magic

/// Bytes that are text in no encoding libmagic knows skip its encoding check. The answers —
/// MIME type and description — must be the ones libmagic gives with the check, for every file
/// of the samples, for text with a 0x00 put in, for UTF-16 with and without a byte-order mark,
/// and for thousands of mutated windows.
@Suite struct EncodingCheckTests {
  static let samples = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("samples")

  /// The first 64 KiB of every file under samples/ (real programs' files, the sniffing fixtures,
  /// the drop's uploads and item.json, the receipts).
  static func windows() -> [[UInt8]] {
    let found = FileManager.default.enumerator(atPath: samples.path)?.compactMap { $0 as? String } ?? []
    return found.sorted().compactMap { name in
      guard let data = FileManager.default.contents(atPath: samples.path + "/" + name) else { return nil }
      return [UInt8](data.prefix(65_536))
    }
  }

  /// Text made by people and programs, with a 0x00 put in at the start, the middle or the end,
  /// and as UTF-16 with and without a byte-order mark.
  static func texts() -> [[UInt8]] {
    let lines = [
      "學生學習歷程檔案 — 多元表現\n", "Hello, world.\r\n", "<html><body>課程成果</body></html>\n",
      "{\"itemId\": \"mp-112-0001\"}\n", "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n", "#!/bin/sh\necho hi\n",
    ]
    var made: [[UInt8]] = []
    for line in lines {
      let text = Array(String(repeating: line, count: 40).utf8)
      for place in [0, 1, text.count / 2, text.count - 1] {
        var zeroed = text
        zeroed[place] = 0
        made.append(zeroed)
      }
      let utf16 = Array(String(repeating: line, count: 40).utf16)
      let little = utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
      let big = utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
      made += [little, big, [0xFF, 0xFE] + little, [0xFE, 0xFF] + big, [0x00, 0x00, 0xFE, 0xFF] + big]
    }
    return made
  }

  /// Each window with a few bytes changed, reproducibly.
  static func mutants(of windows: [[UInt8]], each count: Int) -> [[UInt8]] {
    var state: UInt64 = 0x2545_F491_4F6C_DD1D
    func next() -> Int {
      state ^= state << 13
      state ^= state >> 7
      state ^= state << 17
      return Int(state % 1_000_000_007)
    }
    return windows.filter { !$0.isEmpty }.flatMap { window in
      (0..<count).map { _ in
        var changed = window
        for _ in 0..<(1 + next() % 8) { changed[next() % changed.count] = UInt8(next() % 256) }
        return changed
      }
    }
  }

  @Test func answersAreLibmagicsWithItsEncodingCheck() throws {
    let sniffer = try MagicSniffer(bytesMax: 65_536)
    let windows = Self.windows()
    #expect(windows.count > 100)
    var skipped = 0
    var answered = 0
    for bytes in windows + Self.texts() + Self.mutants(of: windows, each: 4) {
      bytes.withUnsafeBytes { raw in
        if MagicSniffer.isNeverText(raw, checked: 65_536) { skipped += 1 }
        for flags in [MAGIC_MIME_TYPE | MAGIC_ERROR, MAGIC_ERROR] {
          // The same answer, or the same failure (libmagic refuses a few odd UTF-32 starts).
          let answer = try? sniffer.ask(flags: flags, raw)
          let checked = try? sniffer.ask(flags: flags, raw, encodingCheck: true)
          #expect(answer == checked, "\(bytes.prefix(16)) (\(bytes.count) bytes)")
          if answer != nil { answered += 1 }
        }
      }
    }
    // The shortcut was taken for most of them (binary formats), so the comparison means something.
    #expect(skipped > windows.count)
    // And libmagic answered them (two failures agreeing would prove nothing).
    #expect(answered > 2 * windows.count)
  }

  @Test func onlyBytesThatAreTextInNoEncodingSkipTheCheck() {
    func never(_ bytes: [UInt8], checked: Int = 65_536) -> Bool {
      bytes.withUnsafeBytes { MagicSniffer.isNeverText($0, checked: checked) }
    }
    #expect(never([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10]))  // a JPEG's start
    #expect(never(Array("abc".utf8) + [0]))
    #expect(!never(Array("plain text, no zero byte".utf8)))
    #expect(!never([0xFF, 0xFE, 0x61, 0x00]))  // UTF-16LE with its byte-order mark
    #expect(!never([0xFE, 0xFF, 0x00, 0x61]))  // UTF-16BE
    #expect(!never([0x00, 0x00, 0xFE, 0xFF, 0x00, 0x00, 0x00, 0x61]))  // UTF-32BE
    #expect(!never([0x00]))  // too short for libmagic to look at
    // A zero past what the encoding check reads does not count.
    #expect(!never(Array("abcdef".utf8) + [0], checked: 6))
    #expect(never(Array("abcdef".utf8) + [0], checked: 7))
  }
}
