import CSV
import Foundation
import TestSupport
import Testing

@testable import PortfolioCore

#if canImport(Glibc)
  import Glibc
#endif

/// CSV rows made as bytes: quoted when a field's bytes hold a quote, comma or line break —
/// also when a combining mark follows it, which CSV.swift's writer missed — and otherwise the
/// bytes that writer made.
@Suite struct CSVRowsTests {
  static func csv(_ rows: [[String]], newline: CSVRows.Newline = .crlf) -> String {
    var csv = CSVRows(newline: newline)
    for row in rows { csv.append(row) }
    return String(decoding: csv.bytes, as: UTF8.self)
  }

  @Test func quotesExactlyTheFieldsThatNeedIt() {
    #expect(Self.csv([["a", "b"], ["c", ""]]) == "a,b\r\nc,")
    #expect(Self.csv([["a", "b"], ["c"]], newline: .lf) == "a,b\nc")
    #expect(
      Self.csv([["x,y", #"say "hi""#, "two\nlines", "cr\r", "心得.pdf"]])
        == "\"x,y\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\r\",心得.pdf")
    #expect(Self.csv([[], ["a"], [], ["b"]]) == "a\r\nb")  // a row without fields adds nothing
    #expect(Self.csv([[""]]) == "" && Self.csv([["", ""]]) == ",")
  }

  @Test func aCommaQuoteOrLineBreakBeforeACombiningMarkIsStillQuoted() throws {
    let fields = ["報告,\u{301}.pdf", "a\"\u{301}b", "line\n\u{301}break", "cr\r\u{301}"]
    let text = Self.csv([["studentNumber", "file"]] + fields.map { ["110001", $0] })
    #expect(
      text
        == "studentNumber,file\r\n110001,\"報告,\u{301}.pdf\"\r\n110001,\"a\"\"\u{301}b\"\r\n110001,\"line\n\u{301}break\"\r\n110001,\"cr\r\u{301}\""
    )
    // Read back by a CSV reader: every row has its two columns, every field its bytes.
    let reader = try CSVReader(string: text, hasHeaderRow: true)
    var read: [[String]] = []
    while let row = reader.next() { read.append(row) }
    #expect(read.map { $0.map { Array($0.utf8) } } == fields.map { [Array("110001".utf8), Array($0.utf8)] })
  }

  @Test func ordinaryFieldsComeOutAsCSVSwiftWroteThem() throws {
    let alphabet = Array("ab1 ,\"\r\n學習歷程，、「」=+-@\t'é")
    var generator = SystemRandomNumberGenerator()
    for _ in 0..<200 {
      let rows = (0..<Int.random(in: 1...5, using: &generator)).map { _ in
        (0..<Int.random(in: 1...6, using: &generator)).map { _ in
          String((0..<Int.random(in: 0...8, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
        }
      }
      let stream = OutputStream(toMemory: ())
      let writer = try CSVWriter(stream: stream, newline: .crlf)
      for row in rows { try writer.write(row: row) }
      stream.close()
      let library = Array(stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data ?? Data())
      var csv = CSVRows(newline: .crlf)
      for row in rows { csv.append(row) }
      #expect(csv.bytes == library, "\(rows)")
    }
  }

  @Test func aStudentsFileNameWithACommaAndACombiningMarkKeepsRejectionsCSVsColumns() throws {
    let drop = try TestDrop()
    defer { drop.remove() }
    let name = "報告,\u{301}.pdf"  // listed, not uploaded: a missing-file finding names it
    try drop.item("110001", "mp-1", files: [name])
    let validation = try Validator(table: try PolicyTable.bundled()).validate(drop.root)
    let bytes = try ValidationReport(validation).rejectionsCSV()
    let reader = try CSVReader(string: String(decoding: bytes.dropFirst(3), as: UTF8.self), hasHeaderRow: true)
    var rows: [[String]] = []
    while let row = reader.next() { rows.append(row) }
    #expect(rows.count == validation.findings.count && !rows.isEmpty)
    #expect(rows.allSatisfy { $0.count == 7 })
    let missing = try #require(rows.first { $0[3] == "missing-file" })
    #expect(Array(missing[2].utf8) == Array("uploads/110001/mp-1/\(name)".utf8))
  }
}
