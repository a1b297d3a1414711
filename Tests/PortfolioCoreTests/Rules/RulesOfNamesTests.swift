import PortfolioCore
import TestSupport
import Testing

@Suite struct IdentifierTests {
  @Test(arguments: ["110001", "A", "s_01-x", String(repeating: "9", count: 20)])
  func validStudentNumbers(text: String) { #expect(Identifiers.isStudentNumber(text)) }

  @Test(arguments: ["", "../x", "王小明", "a b", String(repeating: "9", count: 21), "a/b", "a.b"])
  func invalidStudentNumbers(text: String) { #expect(!Identifiers.isStudentNumber(text)) }

  @Test(arguments: ["co-112-1-0001", "a.b", "x_y", "..a"])
  func validItemIds(text: String) { #expect(Identifiers.isItemId(text)) }

  @Test(arguments: [".", "..", "", "a/b", "作品", String(repeating: "a", count: 41)])
  func invalidItemIds(text: String) { #expect(!Identifiers.isItemId(text)) }

  @Test(arguments: ["雨量計報告.pdf", "IMG_0001.HEIC", "a b.pdf", ".hidden"])
  func plainFileNames(text: String) { #expect(Identifiers.isPlainFileName(text)) }

  @Test(arguments: ["", ".", "..", "../etc/passwd", "/etc/passwd", "a\u{0}b", String(repeating: "字", count: 86)])
  func notPlainFileNames(text: String) { #expect(!Identifiers.isPlainFileName(text)) }
}

@Suite struct SchoolDatesTests {
  @Test(arguments: [
    ("2007-05-14", "2007-05-14"), ("0960514", "2007-05-14"), ("0890229", "2000-02-29"),
    ("1120801", "2023-08-01"), ("2007/5/14", "2007-05-14"), ("2007/05/14", "2007-05-14"), ("2000/2/29", "2000-02-29"),
    ("2024-02-29", "2024-02-29"), ("0999-12-31", "0999-12-31"),
  ])
  func acceptsISOMinguoAndExcel(input: String, expected: String) {
    #expect(SchoolDates.isoDate(input) == expected)
  }

  @Test(arguments: [
    "2007-02-30", "0950229", "2007/2/30", "2007/5/", "07/5/14", "2007/005/14", "2007/5/14/1", "960514", "2007-13-01",
    "", "abcdefg", "2023-02-29", "1900-02-29", "2007-05-00", "２００７-05-14", "2007-05-1x",
  ])
  func refusesImpossibleDates(input: String) { #expect(SchoolDates.isoDate(input) == nil) }
}

@Suite struct PrivateDataTests {
  @Test func masksTheMiddleOfAnIDNumber() {
    #expect(PrivateData.maskIDNumber("A123456789") == "A12****789")
    #expect(PrivateData.maskIDNumber("AB12345678") == "AB1****678")
    #expect(PrivateData.maskIDNumber("12345") == "*****")
  }
}

@Suite struct DirectoryNameTests {
  @Test func showsInvalidBytesEscaped() {
    let name = DirectoryName(bytes: Array("bad".utf8) + [0xFF, 0xFE] + Array("名.pdf".utf8))
    #expect(name.string == nil)
    #expect(name.display == "bad\\xFF\\xFE名.pdf")
    #expect(DirectoryName(bytes: Array("雨量計.pdf".utf8)).display == "雨量計.pdf")
  }
}
