import Foundation
import Testing

@testable import PortfolioCore

/// The rules of the comparison, one by one (docs/receipts.md §3 and §5).
@Suite struct ReceiptRuleTests {
  func record(_ sheet: String, _ values: [String: String]) -> SheetRecord {
    SheetRecord(person: PersonKey(idNumber: "a123456789", birth: "2007-05-14"), sheet: sheet, values: values)
  }

  @Test func aPersonIsTheUpperCaseIDNumberAndTheMinguoBirthDate() {
    #expect(
      PersonKey(idNumber: " a123456789", birth: "2007-05-14") == PersonKey(idNumber: "A123456789", birth: "0960514"))
    #expect(PersonKey(idNumber: "A123456789", birth: "0960514") != PersonKey(idNumber: "A123456789", birth: "0960515"))
    #expect(PersonKey(idNumber: "A123456789", birth: "0960514").masked == "A12****789")
  }

  @Test func valuesAreTheSameAfterNFCAsEqualNumbersAndAsMD5sOfEitherCase() {
    #expect(ReceiptValues.same("Cafe\u{301}", "Café"))
    #expect(ReceiptValues.same(" 2 ", "2.0"))
    #expect(ReceiptValues.same("88", "88.00"))
    #expect(!ReceiptValues.same("88", "89"))
    #expect(ReceiptValues.same("DB79822A1261C6F1EC2667AEFBC7AFAF", "db79822a1261c6f1ec2667aefbc7afaf"))
    #expect(!ReceiptValues.same("db79822a1261c6f1ec2667aefbc7afaf", "00000000000000000000000000000000"))
    #expect(!ReceiptValues.same("", "0"))
    #expect(!ReceiptValues.same("2023-09-01", "2023"))
    #expect(!ReceiptValues.same("1-2", "1"))
    #expect(ReceiptValues.same("-3.50", "-3.5"))
    #expect(!ReceiptValues.same("112313302H1010101", "112313302h1010101"))
  }

  @Test func identitiesFollowTheSheet() {
    let outcome = record(
      "學期課程學習成果",
      [
        "課程代碼": "112313302H1010101", "實際修課學年度": "112", "實際修課學期": "1",
        "課程學習成果文件檔案連結": "313302_112_central_110001.zip#files/co-112-1-0001/1.pdf",
        "課程學習成果影音檔案連結": "x.zip#files/co/2.mp3",
        "成果簡述": "not part of it",
      ])
    #expect(ReceiptSheets.identity(of: outcome) == "112313302H1010101 | 112 | 1 | 1.pdf")
    let mediaOnly = record(
      "學期課程學習成果", ["課程代碼": "C", "實際修課學年度": "112", "實際修課學期": "2", "課程學習成果影音檔案連結": "p.zip#files/a/1.mp4"])
    #expect(ReceiptSheets.identity(of: mediaOnly) == "C | 112 | 2 | 1.mp4")
    #expect(ReceiptSheets.identity(of: record("學期成績", ["課程代碼": "C1", "學期學業成績": "88"])) == "C1")
    #expect(
      ReceiptSheets.identity(of: record("幹部經歷紀錄", ["單位名稱": "101 班", "擔任職務": "班長", "開始日期": "1120830"]))
        == "101 班 | 班長 | 1120830")
    #expect(ReceiptSheets.canonical("幹部經歷") == "幹部經歷紀錄")
    #expect(
      ReceiptSheets.identity(of: record("競賽參與紀錄", ["競賽名稱": "科展", "結果公布日期": "1121015", "獎項": "佳作"]))
        == "科展 | 1121015")
    #expect(ReceiptSheets.identity(of: record("作品成果紀錄", ["名稱": "海報", "日期": "1120901"])) == "海報 | 1120901")
    #expect(
      ReceiptSheets.identity(of: record("檢定證照紀錄", ["取得證照日期": "1120501", "證明文件連結": "p.zip#files/mp/1.pdf"]))
        == "1120501 | 1.pdf")
  }

  @Test func shaLinesAcceptABOMCRLFAndEitherCase() {
    let hash = String(repeating: "ab", count: 32)
    let text = "\u{FEFF}a.json,\(hash.uppercased())\r\nb.json , \(hash)\nbroken line\nc.json,xyz\n"
    let lines = ReceiptArchive.shaLines(Array(text.utf8))
    #expect(lines == ["a.json": hash, "b.json": hash])
  }

  @Test func aWorkbookColumnReferenceIsItsIndex() {
    #expect(WorkbookText.column(of: "A1") == 0)
    #expect(WorkbookText.column(of: "Z9") == 25)
    #expect(WorkbookText.column(of: "AA10") == 26)
    #expect(WorkbookText.column(of: "XFD1") == 16_383)
    #expect(WorkbookText.column(of: "12") == nil)
  }

  @Test func matchingIsByPersonSheetAndIdentityInOrder() {
    let key = ["課程代碼"]
    let submitted = SubmittedRosters.Sheet(
      headers: key + ["學期學業成績"],
      records: [record("學期成績", ["課程代碼": "C1", "學期學業成績": "88"]), record("學期成績", ["課程代碼": "C2", "學期學業成績": "70"])])
    var result = Reconciliation()
    result.compare(
      submitted,
      [record("學期成績", ["課程代碼": "C2", "學期學業成績": "71"]), record("學期成績", ["課程代碼": "C3", "學期學業成績": "60"])],
      kind: .grades, sheet: "學期成績")
    #expect(result.outcomes.map(\.status) == [.missing, .different, .unexpected])
    #expect(result.outcomes[1].differences == [ColumnDifference(column: "學期學業成績", submitted: "70", received: "71")])
    #expect(!result.isClean)
  }
}
