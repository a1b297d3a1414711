import Foundation
import Testing

@testable import PortfolioCore

/// RFC 8259 as item.json must follow it: each case is a text Foundation's decoder accepts or
/// misreads, and the problem the pipeline must name instead.
@Suite struct StrictJSONTests {
  static func problem(_ text: String) -> StrictJSON.Problem? { StrictJSON.problem(in: Array(text.utf8)) }

  @Test(arguments: [
    #"{"a":1}"#, #"  {"a":[1,2.5,-0.5e3,true,false,null,"x\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00"]}"#, "[]", "{}",
    "\u{FEFF}{\"a\":1}", #"{"a":{"b":{"a":1}},"b":[{"a":1},{"a":2}]}"#, "{\"名\":\"王小明\"}\n",
  ])
  func strictJSONPasses(text: String) {
    #expect(Self.problem(text) == nil)
  }

  @Test(arguments: [
    (#"{"summary":"a","summary":"b"}"#, "summary", "appears twice"),
    (#"{"details":{"level":"3","level":"4"}}"#, "details.level", "appears twice"),
    ("{\"caf\u{E9}\":1,\"cafe\u{301}\":2}", "cafe\u{301}", "appears twice"),
    (#"{"a":1,}"#, "JSON", "trailing comma"),
    (#"{"files":[1,2,]}"#, "files", "trailing comma"),
    (#"{"a":1,,"b":2}"#, "JSON", "two commas"),
    (#"{"a":"\ud800"}"#, "JSON", "lone surrogate \\uD800"),
    (#"{"a":"\udc00x"}"#, "JSON", "lone surrogate \\uDC00"),
    (#"{"a":"\ud800\u0041"}"#, "JSON", "lone surrogate"),
    ("{\"a\":\"x\u{01}y\"}", "JSON", "raw control character (0x01)"),
    (#"{"a":01}"#, "JSON", "leading zero"),
    (#"{"a":1.}"#, "JSON", "ends in"),
    (#"{"a":.5}"#, "JSON", "not a JSON value"),
    (#"{"a":NaN}"#, "JSON", "not a JSON value"),
    (#"{'a':1}"#, "JSON", "expected a key"),
    (#"{"a":'x'}"#, "JSON", "single quotes"),
    (#"{"a":1} {"b":2}"#, "JSON", "text after the end"),
    (#"{"a":1"#, "JSON", "ends inside"),
    (#"{"a":"x"#, "JSON", "not closed"),
    (#"{"a":"\x"}"#, "JSON", "not a JSON escape"),
    ("", "JSON", "no JSON value"),
    (#"{"a" 1}"#, "JSON", "expected \":\""),
    (#"{"a":[1}"#, "a", "expected \",\" or the end of the array"),
  ])
  func strictJSONNamesTheProblem(text: String, field: String, words: String) throws {
    let problem = try #require(Self.problem(text), "\(text) was accepted")
    #expect(problem.field == field, "\(problem)")
    #expect(problem.english.contains(words), "\(problem.english)")
    #expect(problem.english.contains("line 1, column"), "\(problem.english)")
  }

  @Test func positionsCountLinesAndCharacters() throws {
    let problem = try #require(Self.problem("{\n  \"標題\": \"a\",\n  \"標題\": \"b\"\n}"))
    #expect(problem.english.hasSuffix("at line 3, column 3"), "\(problem.english)")
  }

  @Test func otherEncodingsAreNamed() throws {
    let text = #"{"title":"雨量計"}"#
    let utf16 = try #require(text.data(using: .utf16))  // with a byte-order mark
    let utf16LE = try #require(text.data(using: .utf16LittleEndian))  // without one
    let utf32 = try #require(text.data(using: .utf32LittleEndian))
    #expect(StrictJSON.problem(in: Array(utf16))?.english == "the file is saved as UTF-16, not UTF-8")
    #expect(StrictJSON.problem(in: Array(utf16LE))?.english == "the file is saved as UTF-16, not UTF-8")
    #expect(StrictJSON.problem(in: Array(utf32))?.english == "the file is saved as UTF-32, not UTF-8")
    // 雨量計 in Big5: A7 41 B6 71 ADD 70 — not UTF-8 from the first byte of the value.
    let big5: [UInt8] = Array(#"{"title":""#.utf8) + [0xAB, 0x42, 0xB6, 0x71, 0xAD, 0x70] + Array(#""}"#.utf8)
    let problem = try #require(StrictJSON.problem(in: big5))
    #expect(problem.english.hasPrefix("byte 0xAB at line 1, column 11 is not UTF-8"), "\(problem.english)")
  }

  @Test func nestingIsBoundedWithoutRecursion() throws {
    let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
    let problem = try #require(Self.problem(deep))
    #expect(problem.english.contains("nested deeper than 64"))
    let fine = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
    #expect(Self.problem(fine) == nil)
  }
}
