import Foundation
import PortfolioCore
import TestSupport
import Testing
import ZipKit

/// The samples' presubmit output (rosters and central package), made once for every receipt test.
enum Submitted {
  static let folder: String = {
    let folder = Scratch.path("submitted")
    let outcome = try? CLI.run(
      ["run", "pipelines/presubmit.yml", "--output", folder], in: CLI.repository.path,
      environment: ["SOURCE_DATE_EPOCH": "1700000000"])
    precondition(outcome?.status == 1, "presubmit on the samples exits 1 (it rejects files): \(outcome?.stdout ?? "")")
    return folder
  }()
}

/// How a test receipt is zipped: as the central database would (a password), or not.
enum ReceiptZip {
  /// Info-ZIP's `zip -P` makes the ZipCrypto zips (a real program, as a vendor's would be).
  case plain, aes, infoZip
}

/// A receipt built from the samples' own rosters by scripts/make-receipt.py, zipped.
func makeReceipt(_ plants: [String] = [], zip how: ReceiptZip = .plain, password: String = "收訖-2024!") throws
  -> String
{
  let folder = Scratch.path("receipt")
  let made = try SystemTool.run(
    "/usr/bin/python3",
    [CLI.repository.path + "/scripts/make-receipt.py", Submitted.folder + "/rosters", folder + "/files"] + plants)
  #expect(made.status == 0)
  let path = folder + "/313302_112_1_receipt.zip"
  let names = try FileManager.default.contentsOfDirectory(atPath: folder + "/files").sorted()
  if how == .infoZip {
    let zipped = try SystemTool.run(
      "/usr/bin/zip", ["-q", "-j", "-P", password, path] + names.map { folder + "/files/" + $0 })
    #expect(zipped.status == 0)
    return path
  }
  let writer = try ZipArchiveWriter(path: path, timestamp: ZipTimestamp(secondsSince1970: 1_709_251_200))
  for name in names {
    let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: folder + "/files/" + name)))
    switch how {
    case .plain, .infoZip: try writer.add(name: name, bytes: bytes, compression: .deflated)
    case .aes: try writer.add(name: name, bytes: bytes, compression: .deflated, encryption: .aes256(password: password))
    }
  }
  try writer.commit()
  return path
}

func passwordFile(_ password: String = "收訖-2024!") throws -> String {
  let path = Scratch.path("password")
  try Data((password + "\r\n").utf8).write(to: URL(fileURLWithPath: path))
  return path
}

func runReceipts(_ receipt: String, password: String? = nil, extra: [String] = []) throws -> (CLI.Outcome, String) {
  let out = Scratch.path("receipt-out")
  var arguments = ["receipts", receipt, "--submitted", Submitted.folder, "--out", out, "--drop", TestDrop.samples]
  if let password { arguments += ["--password-file", password] }
  return (try CLI.run(arguments + extra), out)
}

/// A file's text as written, a byte-order mark included.
func read(_ path: String) throws -> String {
  String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
}

@Suite(.serialized) struct ReceiptTests {
  @Test func anEchoOfTheSubmittedRostersIsReceivedInFull() throws {
    for how in [ReceiptZip.infoZip, .aes] {
      let (outcome, out) = try runReceipts(try makeReceipt(zip: how), password: try passwordFile())
      #expect(outcome.status == 0, "\(outcome.stdout)\(outcome.stderr)")
      #expect(outcome.stdout.contains("7 received, 0 different, 0 missing, 0 unexpected"))
      #expect(
        try read(out + "/receipt-discrepancies.csv")
          == "\u{FEFF}studentNumber,class,name,kind,sheet,status,identity,column,submitted,received\r\n")
      let page = try read(out + "/receipts/110001.txt")
      #expect(page.contains("班級 101　學號 110001　姓名 王小明　身分證號 A12****789"))
      #expect(page.contains("中央資料庫收到的內容和學校送出的一致"))
      #expect(page.contains("■ 中央資料庫保存的內容，和學校送出的一致（6 項）"))
      #expect(page.contains("檔案：雨量計報告.pdf、觀測說明.mp3"))
      #expect(page.contains("學生簽名："))
      for file in ["110001.html", "110001.txt", "110002.html", "110002.txt"] {
        #expect(!(try read(out + "/receipts/" + file)).contains("A123456789"))
      }
      #expect(!outcome.stdout.contains("收訖-2024!"))
    }
  }

  @Test func everyPlantedDifferenceIsFoundExactlyThroughBOMsCRLFsAndAStringHeader() throws {
    let receipt = try makeReceipt(
      [
        "--change-summary", "--change-md5", "--drop-performance", "--add-unexpected", "--unknown-student",
        "--extra-column", "--bom", "--crlf", "--info-as-string",
      ], zip: .infoZip)
    let (outcome, out) = try runReceipts(receipt, password: try passwordFile())
    #expect(outcome.status == 1, "\(outcome.stdout)\(outcome.stderr)")
    #expect(outcome.stdout.contains("5 received, 1 different, 1 missing, 2 unexpected; students: 1 unknown"))
    #expect(outcome.stdout.contains("columns the receipt adds to 學期成績 (kept on the pages, not compared): 收訖時間"))
    let rows = try read(out + "/receipt-discrepancies.csv").components(separatedBy: "\r\n")
    #expect(
      rows == [
        "\u{FEFF}studentNumber,class,name,kind,sheet,status,identity,column,submitted,received",
        "110001,101,王小明,多元表現,競賽參與紀錄,missing,全國高中職科展 佳作 | 1121015,,,",
        "110001,101,王小明,多元表現,競賽參與紀錄,unexpected,全國科展 | 1130315,,,",
        "110001,101,王小明,課程學習成果,學期課程學習成果,different,112313302H1010101 | 112 | 1 | 1.pdf,成果簡述,"
          + "以 3D 列印製作雨量計，並比較三週的觀測資料與氣象站紀錄。,以 3D 列印製作雨量計，並比較三週的觀測資料與氣象站紀錄。（中央資料庫版本）",
        "110001,101,王小明,課程學習成果,學期課程學習成果,different,112313302H1010101 | 112 | 1 | 1.pdf,文件檔案MD5,"
          + "db79822a1261c6f1ec2667aefbc7afaf,00000000000000000000000000000000",
        ",,,多元表現,其他多元表現紀錄,unexpected,不屬於本校 | 1121001,,,",
        ",,,,,unknown-student,Z19****999,,,",
        "",
      ])
    let page = try read(out + "/receipts/110001.txt")
    #expect(page.contains("有 3 項和學校送出的不同或缺少"))
    #expect(page.contains("學校送出了這一筆，但中央資料庫沒有收到。"))
    #expect(page.contains("中央資料庫保存的檔案「雨量計報告.pdf」和學校送出的不是同一個檔案（內容不同）。"))
    #expect(page.contains("中央資料庫有這一筆，但學校這次沒有送出"))
    #expect(!(try read(out + "/receipts/110002.txt")).contains("需要你確認"))
    #expect(!FileManager.default.fileExists(atPath: out + "/receipts/.html"))
    let staff = try read(out + "/receipt-report.html")
    #expect(staff.contains("<td>Z19****999</td>") && !staff.contains("Z199999999"))
  }

  @Test func aStudentTheReceiptLeavesOutIsListedAndToldWithTheSchoolsDeadline() throws {
    let (outcome, out) = try runReceipts(try makeReceipt(["--omit-student", "2"]))
    #expect(outcome.status == 1, "\(outcome.stdout)\(outcome.stderr)")
    #expect(outcome.stdout.contains("6 received, 0 different, 1 missing, 0 unexpected"))
    #expect(outcome.stdout.contains("0 unknown to the school, 1 submitted but absent"))
    let rows = try read(out + "/receipt-discrepancies.csv").components(separatedBy: "\r\n")
    #expect(rows.contains("110002,101,林𠀋華,修課紀錄,學期成績,missing,112313302H1010101,,,"))
    #expect(rows.contains("110002,101,林𠀋華,,,student-absent,F23****608,,,"))
    let page = try read(out + "/receipts/110002.txt")
    #expect(page.contains("中央資料庫的收訖明細裡沒有你的任何資料。請在民國 113 年 3 月 5 日 17:00 前告訴註冊組"))
    #expect(try read(out + "/receipts/110001.txt").contains("如果發現不是你選的內容或有錯字，請在民國 113 年 3 月 5 日 17:00 前告訴註冊組。"))
  }

  @Test func thePasswordCanComeFromStandardInput() throws {
    let receipt = try makeReceipt(zip: .aes)
    let out = Scratch.path("receipt-out")
    let (status, output) = try SystemTool.run(
      CLI.binary.path,
      [
        "receipts", receipt, "--submitted", Submitted.folder, "--out", out, "--drop", TestDrop.samples,
        "--password-file", "-",
      ], input: Data("收訖-2024!\n".utf8))
    let printed = String(decoding: output, as: UTF8.self)
    #expect(status == 0, "\(printed)")
    #expect(printed.contains("7 received, 0 different, 0 missing, 0 unexpected"))
    #expect(!printed.contains("收訖-2024!"))
  }

  @Test func rostersOfOtherYearsInTheFolderAreLeftAlone() throws {
    let folder = Scratch.path("years")
    try FileManager.default.copyItem(atPath: Submitted.folder, toPath: folder)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    for book in ["0_25", "0_26", "1_2"] {
      try FileManager.default.copyItem(
        atPath: folder + "/rosters/313302_112_\(book).xlsx", toPath: folder + "/rosters/313302_111_\(book).xlsx")
    }
    let out = Scratch.path("receipt-out")
    let receipt = try makeReceipt()
    let outcome = try CLI.run([
      "receipts", receipt, "--submitted", folder, "--out", out, "--drop", TestDrop.samples,
    ])
    #expect(outcome.status == 0, "\(outcome.stdout)\(outcome.stderr)")
    #expect(outcome.stdout.contains("7 received, 0 different, 0 missing, 0 unexpected"))
    let other = try CLI.run([
      "receipts", try makeReceipt(["--year", "110"]), "--submitted", folder, "--out", out + "-2", "--drop",
      TestDrop.samples,
    ])
    #expect(other.status == 64)
    #expect(other.stderr.contains("school 313302, year 111; school 313302, year 112"), "\(other.stderr)")
  }

  @Test func emptyColumnsLeftOutByTheReceiptAreNoDifference() throws {
    let (outcome, _) = try runReceipts(try makeReceipt(["--omit-empty"]))
    #expect(outcome.status == 0, "\(outcome.stdout)\(outcome.stderr)")
    #expect(outcome.stdout.contains("7 received, 0 different, 0 missing, 0 unexpected"))
  }

  @Test func problemsOfTheWholeReceiptStopWithExit64AndWriteNothing() throws {
    let cases: [(receipt: String, password: String?, code: String, says: String)] = [
      (try makeReceipt(zip: .aes), try passwordFile("wrong"), "receipt-password", "does not open"),
      (try makeReceipt(zip: .infoZip), try passwordFile("wrong"), "receipt-password", "does not open"),
      (try makeReceipt(zip: .aes), nil, "receipt-password", "password-protected"),
      (
        try makeReceipt(["--tamper"]), nil, "receipt-untrusted", "313302_112_0_多元表現.json cannot be trusted: its SHA-256"
      ),
      (try makeReceipt(["--no-sha-line"]), nil, "receipt-untrusted", "SHA.txt has no line for it"),
      (try makeReceipt(["--school", "999999"]), nil, "receipt-other-school", "school 999999"),
      (try makeReceipt(["--year", "111"]), nil, "receipt-other-school", "year 111"),
      (try makeReceipt(["--term", "2"]), nil, "receipt-other-school", "term 2"),
      (try hostileZip(["readme.txt": Array("hello".utf8)]), nil, "receipt-no-json", "holds no receipt JSON"),
      (try hostileZip(["../313302_112_0_多元表現.json": Array("{}".utf8)]), nil, "receipt-untrusted", "leaves the zip"),
      // A slash or backslash followed by a combining mark is still a slash or a backslash.
      (
        try hostileZip(["../\u{301}313302_112_0_多元表現.json": Array("{}".utf8)]), nil, "receipt-untrusted",
        "leaves the zip"
      ),
      (
        try hostileZip(["a\\\u{301}313302_112_0_多元表現.json": Array("{}".utf8)]), nil, "receipt-untrusted",
        "leaves the zip"
      ),
      (
        try hostileZip(["313302_112_0_多元表現.json": [UInt8](repeating: 0x20, count: 40_000_000)]), nil,
        "receipt-untrusted", "zip bomb"
      ),
    ]
    for (receipt, password, code, says) in cases {
      let (outcome, out) = try runReceipts(receipt, password: password)
      #expect(outcome.status == 64, "\(code): \(outcome.stdout)\(outcome.stderr)")
      #expect(outcome.stderr.contains("[\(code)]"), "\(outcome.stderr)")
      #expect(outcome.stderr.contains(says), "\(outcome.stderr)")
      #expect(outcome.stderr.contains("Nothing was written"))
      #expect(!FileManager.default.fileExists(atPath: out), "\(code): the output folder must not be made")
    }
  }

  @Test func theReceiptsStageComparesWhenTheRunIsLoadedAndAddsItsSectionToTheReport() throws {
    let receipt = try makeReceipt(["--change-summary"], zip: .aes)
    let folder = Scratch.path("receipt-run")
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let password = try passwordFile()
    let definition = """
      name: receipts
      drop: \(TestDrop.samples)
      output: \(folder)/out
      stages:
        - validate
        - receipts:
            receipt: \(receipt)
            submitted: \(Submitted.folder)
            password-file: \(password)
        - report
      """
    try Data(definition.utf8).write(to: URL(fileURLWithPath: folder + "/receipts.yml"))
    let outcome = try CLI.run(["run", folder + "/receipts.yml"])
    #expect(outcome.status == 1, "\(outcome.stdout)\(outcome.stderr)")
    #expect(outcome.stdout.contains("receipts:   records: 6 received, 1 different, 0 missing, 0 unexpected"))
    let report = try read(folder + "/out/report.html")
    #expect(report.contains("<h2>中央資料庫收訖明細 Receipt from the central database</h2>"))
    #expect(report.contains("<a href=\"receipts/110001.html\">110001</a>"))
    #expect(FileManager.default.fileExists(atPath: folder + "/out/receipts/110001.html"))

    // A wrong password is found when the run is loaded: nothing of the run is written.
    try Data("wrong\n".utf8).write(to: URL(fileURLWithPath: password))
    try FileManager.default.removeItem(atPath: folder + "/out")
    let refused = try CLI.run(["run", folder + "/receipts.yml"])
    #expect(refused.status == 64)
    #expect(refused.stderr.contains("[receipt-password]"))
    #expect(!FileManager.default.fileExists(atPath: folder + "/out"))
  }
}

/// A zip with exactly these entries (deflated, no SHA.txt), for the hostile cases.
func hostileZip(_ entries: [String: [UInt8]]) throws -> String {
  let path = Scratch.path("hostile", suffix: ".zip")
  let writer = try ZipArchiveWriter(path: path, timestamp: ZipTimestamp(secondsSince1970: 1_709_251_200))
  for (name, bytes) in entries.sorted(by: { $0.key < $1.key }) {
    try writer.add(name: name, bytes: bytes, compression: .deflated)
  }
  try writer.commit()
  return path
}
