import Foundation
import Testing

@testable import PortfolioCore

/// The strict-JSON checker finds, word for word, the first problem its former self
/// (`ReferenceStrictJSON`) finds — or none when it finds none — on item.json files, on random
/// edits of them, and on random documents made of what the checker looks at: nesting, keys that
/// repeat (also as NFC equals), more keys than it compares one by one, escapes and bad bytes.
@Suite struct StrictJSONWitnessTests {
  static func same(_ bytes: [UInt8]) -> Bool {
    StrictJSON.problem(in: bytes) == ReferenceStrictJSON.problem(in: bytes)
  }

  @Test func editedSampleItems() throws {
    let seeds = try SampleItems.all()
    #expect(seeds.count >= 5)
    let alphabet = Array("0123456789\"\\u.eE-+{}[],: ntfl/a\u{0}\u{1F}".utf8) + Array("中".utf8) + [0xFF, 0xC3]
    var generator = SystemRandomNumberGenerator()
    var problems = 0
    for seed in seeds { #expect(Self.same(seed)) }
    for _ in 0..<20_000 {
      let bytes = SampleItems.edited(seeds, alphabet: alphabet, using: &generator)
      if StrictJSON.problem(in: bytes) != nil { problems += 1 }
      #expect(Self.same(bytes), "\(String(decoding: bytes, as: UTF8.self))")
    }
    #expect(problems >= 5_000)
  }

  /// A random JSON-like value `depth` levels deep at most.
  static func value(_ depth: Int, _ generator: inout some RandomNumberGenerator) -> String {
    let keys = ["a", "b", "K", "\u{212A}", "e\u{301}", "\u{E9}", "\\u0041", "A", "", "items", "x.y"]
    switch Int.random(in: 0..<(depth > 0 ? 10 : 6), using: &generator) {
    case 0: return ["1", "-0", "0.5", "1e3", "01", "1.", "-", "2E+", "12"].randomElement(using: &generator)!
    case 1:
      return ["\"t\"", "\"\\n\"", "\"\\ud83d\\ude00\"", "\"\\ud83d\"", "\"\\x\"", "\"\u{1}\"", "\"open"]
        .randomElement(using: &generator)!
    case 2: return ["true", "false", "null", "nul", "'a'"].randomElement(using: &generator)!
    case 3, 4, 5: return "\"v\""
    case 6, 7:
      // An object, sometimes with more keys than are compared one by one.
      let count =
        Int.random(in: 0..<10, using: &generator) == 0
        ? Int.random(in: 30...45, using: &generator)
        : Int.random(in: 0...4, using: &generator)
      let members = (0..<count).map { index in
        let key = count > 20 ? "k\(index % (count - 1))" : keys.randomElement(using: &generator)!
        return "\"\(key)\":" + value(depth - 1, &generator)
      }
      let trailing = Int.random(in: 0..<12, using: &generator) == 0 ? "," : ""
      return "{" + members.joined(separator: ",") + trailing + "}"
    default:
      let members = (0..<Int.random(in: 0...3, using: &generator)).map { _ in value(depth - 1, &generator) }
      let trailing = Int.random(in: 0..<12, using: &generator) == 0 ? "," : ""
      return "[" + members.joined(separator: ",") + trailing + "]"
    }
  }

  @Test func randomDocuments() {
    var generator = SystemRandomNumberGenerator()
    var duplicates = 0
    var clean = 0
    for _ in 0..<20_000 {
      var text = Self.value(Int.random(in: 1...5, using: &generator), &generator)
      if Int.random(in: 0..<20, using: &generator) == 0 { text += " x" }
      let bytes = Array(text.utf8)
      let problem = StrictJSON.problem(in: bytes)
      if problem == nil { clean += 1 }
      if problem?.english.contains("appears twice") == true { duplicates += 1 }
      #expect(Self.same(bytes), "\(text)")
    }
    #expect(clean >= 1_000)
    #expect(duplicates >= 300)
  }

  @Test func deepNesting() {
    for depth in [63, 64, 65, 200] {
      let open = String(repeating: "{\"a\":", count: depth) + "1" + String(repeating: "}", count: depth)
      let arrays = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
      for text in [open, arrays, String(open.dropLast()), "{\"a\":" + arrays + ",\"a\":1}"] {
        #expect(Self.same(Array(text.utf8)), "\(depth)")
      }
    }
  }
}

/// The UTF-8 check finds the first ill-formed sequence where the standard library's parser does.
@Suite struct UTF8CheckTests {
  @Test func randomBytesAgreeWithTheParser() {
    var generator = SystemRandomNumberGenerator()
    // Bytes around every boundary of table 3-7, ASCII, and whole scalars of each length.
    let pieces: [[UInt8]] =
      [
        [0x41], [0x7F], [0x80], [0xBF], [0xC0], [0xC1], [0xC2], [0xDF], [0xE0], [0xA0], [0x9F], [0xED], [0xEF],
        [0xF0], [0x90], [0x8F], [0xF4], [0xF5], [0xFF],
      ]
      + ["é", "中", "😀", "\u{10FFFF}", "\u{FFFD}"].map { Array($0.utf8) }
    var invalid = 0
    for _ in 0..<50_000 {
      var bytes: [UInt8] = []
      for _ in 0..<Int.random(in: 0...6, using: &generator) { bytes += pieces.randomElement(using: &generator)! }
      let start = bytes.isEmpty ? 0 : Int.random(in: 0...min(1, bytes.count), using: &generator)
      let found = StrictJSON.firstInvalidUTF8(bytes, from: start)
      if found != nil { invalid += 1 }
      #expect(found == ReferenceStrictJSON.firstInvalidUTF8(bytes, from: start), "\(bytes) from \(start)")
    }
    #expect(invalid >= 10_000)
  }
}
