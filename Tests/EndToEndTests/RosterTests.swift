import Foundation
import TestSupport
import Testing

/// The rosters (名冊) of the sample drop, read back by openpyxl (an independent xlsx reader)
/// and compared with the spec's names, with the central packages and with a golden file.
@Suite(.serialized) struct RosterTests {
  /// The sheets of each book as `docs/roster.md` names them, with their headers after 身分證號 | 出生日期.
  static let spec: [String: [(sheet: String, headers: [String])]] = [
    "2": [("學期成績", ["課程代碼", "科目名稱", "開課年級", "修課學分", "學期學業成績", "成績及格", "補考成績", "補考及格", "是否採計學分", "質性文字描述"])],
    "24": [("幹部經歷紀錄", ["單位名稱", "開始日期", "結束日期", "擔任職務", "幹部等級"])],
    "26": [
      (
        "學期課程學習成果",
        [
          "課程代碼", "科目名稱", "開課年級", "修課學分", "實際修課學年度", "實際修課學期", "成果簡述", "課程學習成果文件檔案連結", "文件檔案MD5",
          "課程學習成果影音檔案連結", "影音檔案MD5", "認證狀態", "認證教師", "認證時間",
        ]
      )
    ],
    "25": [
      ("幹部經歷暨事蹟紀錄", ["單位名稱", "開始日期", "結束日期", "擔任職務", "幹部等級"]),
      ("競賽參與紀錄", ["競賽名稱", "項目", "競賽等級", "獎項", "結果公布日期", "團體參與"]),
      ("檢定證照紀錄", ["證照代碼", "分數", "分項結果", "取得證照日期", "證照字號", "檢定組別"]),
      ("服務學習紀錄", ["服務名稱", "服務單位", "開始日期", "結束日期", "時數"]),
      ("彈性學習時間紀錄", ["彈性學習時間類別", "內容名稱", "開設單位", "開設學年度", "開設學期", "每週節數", "開設週數"]),
      ("團體活動時間紀錄", ["團體活動時間類別", "辦理單位", "團體活動內容名稱", "活動學年度", "活動學期", "節數"]),
      ("職場學習紀錄", ["職場學習類別", "職場學習單位", "職場學習職稱", "開始日期", "結束日期", "時數"]),
      ("作品成果紀錄", ["名稱", "日期"]),
      ("大學及技專校院先修課程紀錄", ["計畫專案", "開設單位", "課程名稱", "開始日期", "結束日期", "學分數", "總時數"]),
      ("其他多元表現紀錄", ["名稱", "主辦單位", "開始日期", "結束日期", "時數"]),
    ].map { ($0.0, $0.1 + ["內容簡述", "證明文件連結", "證明文件MD5", "影音檔案連結", "影音檔案MD5", "外部影音連結"]) },
  ]
  static let titles = ["2": "學生成績名冊", "24": "校內幹部經歷名冊", "25": "學生自填多元表現名冊", "26": "學生課程學習成果名冊"]

  struct Run {
    let folder: String
    let stdout: String
    let books: [[String: Any]]
    let json: Data
  }

  /// The presubmit pipeline on the samples, then openpyxl's reading of every workbook.
  static func presubmit() throws -> Run {
    let folder = NSTemporaryDirectory() + "roster-\(UUID().uuidString)"
    let run = try CLI.run(
      ["run", "pipelines/presubmit.yml", "--output", folder], in: CLI.repository.path,
      environment: ["SOURCE_DATE_EPOCH": "1700000000"])
    #expect(run.status == 1, "the samples hold rejected files and one refused package: \(run.stderr)")
    let names = try FileManager.default.contentsOfDirectory(atPath: folder + "/rosters").sorted()
    let json = try readBack(names.map { folder + "/rosters/" + $0 })
    let books = try #require(try JSONSerialization.jsonObject(with: json) as? [[String: Any]])
    return Run(folder: folder, stdout: run.stdout + run.stderr, books: books, json: json)
  }

  static func readBack(_ paths: [String]) throws -> Data {
    let (status, data) = try SystemTool.run(
      "/usr/bin/python3", [CLI.repository.path + "/scripts/read-roster.py"] + paths)
    #expect(status == 0, "openpyxl could not read the rosters")
    return data
  }

  static func rows(_ sheet: [String: Any]) -> [[[Any]?]] {
    (sheet["rows"] as? [[Any]] ?? []).map { row in row.map { $0 as? [Any] } }
  }

  static func text(_ cell: [Any]?) -> String? { cell?[0] as? String == "s" ? cell?[1] as? String : nil }

  @Test func everyWorkbookHasTheSpecsSheetsHeadersAndCover() throws {
    let run = try Self.presubmit()
    defer { try? FileManager.default.removeItem(atPath: run.folder) }
    #expect(
      run.books.compactMap { $0["file"] as? String }.sorted() == [
        "313302_112_0_25.xlsx", "313302_112_0_26.xlsx", "313302_112_1_2.xlsx", "313302_112_1_24.xlsx",
      ])
    // Term 2 has no grades or cadres in the samples: no header-only workbook to upload by mistake.
    #expect(run.stdout.contains("    not written, no rows: 313302_112_2_2.xlsx 313302_112_2_24.xlsx\n"))
    for book in run.books {
      let parts = (book["file"] as? String ?? "").dropLast(5).split(separator: "_").map(String.init)
      let (term, kind) = (parts[2], parts[3])
      let sheets = book["sheets"] as? [[String: Any]] ?? []
      #expect(sheets.first?["name"] as? String == (Self.titles[kind] ?? "") + "封面")
      let cover = Self.rows(sheets.first ?? [:])
      #expect(cover.map { $0.map { $0?[1] as? String ?? "" } }.first == ["學校代碼", "學年度", "學期", "名冊別"])
      #expect(Self.text(cover.last?[0]) == "313302")
      #expect(cover.last?[1..<4].map { "\($0?[0] ?? "")\($0?[1] ?? "")" } == ["n112", "n\(term)", "n\(kind)"])
      let expected = Self.spec[kind] ?? []
      #expect(sheets.dropFirst().map { $0["name"] as? String ?? "" } == expected.map(\.sheet))
      for sheet in sheets {
        // Printable: A4 landscape, one page wide, the header row on every page.
        let printing = sheet["print"] as? [String: Any] ?? [:]
        #expect(printing["orientation"] as? String == "landscape", "\(sheet["name"] ?? "")")
        #expect(printing["paper"] as? Int == 9 && printing["fitToPage"] as? Bool == true)
        #expect(printing["fitToWidth"] as? Int == 1 && printing["fitToHeight"] as? Int == 0)
        #expect(printing["titleRows"] as? String == "$1:$1")
      }
      for (sheet, spec) in zip(sheets.dropFirst(), expected) {
        let rows = Self.rows(sheet)
        #expect(rows.first?.map { Self.text($0) ?? "" } == ["身分證號", "出生日期"] + spec.headers, "\(spec.sheet)")
        for row in rows.dropFirst() {
          #expect(Self.text(row[0]).map { $0.count == 10 } == true, "身分證號 is text")
          let birth = Self.text(row[1]) ?? ""
          #expect(birth.count == 7 && birth.allSatisfy(\.isASCII) && Int(birth) != nil, "出生日期 is 7-digit text")
          for (header, cell) in zip(["身分證號", "出生日期"] + spec.headers, row) where header.hasSuffix("日期") {
            guard let cell else { continue }
            #expect(Self.text(cell).map { $0.count == 7 && Int($0) != nil } == true, "\(header) is a 7-digit text date")
          }
        }
      }
    }
    #expect(
      !run.stdout.contains("A123456789") && !run.stdout.contains("F231245608"), "no ID number in the run's output")
  }

  @Test func rowsEqualTheCentralPackagesAndEveryLinkNamesAnEntryWithItsMD5() throws {
    let run = try Self.presubmit()
    defer { try? FileManager.default.removeItem(atPath: run.folder) }
    let packages = run.folder + "/packages"
    let zips = try FileManager.default.contentsOfDirectory(atPath: packages).filter { $0.hasSuffix(".zip") }
    let byName = Dictionary(
      uniqueKeysWithValues: try zips.map {
        ($0, String(decoding: try Self.unzip(packages + "/" + $0, "manifest.xml"), as: UTF8.self))
      })
    let manifests = Array(byName.values)
    let count = { (needle: String) in manifests.reduce(0) { $0 + $1.components(separatedBy: needle).count - 1 } }
    var links = 0
    for book in run.books {
      let file = book["file"] as? String ?? ""
      let sheets = (book["sheets"] as? [[String: Any]] ?? []).dropFirst()
      for sheet in sheets {
        let rows = Self.rows(sheet)
        let headers = rows.first?.map { Self.text($0) ?? "" } ?? []
        let data = rows.dropFirst()
        switch (file, sheet["name"] as? String ?? "") {
        case ("313302_112_1_2.xlsx", _):
          // 110002 (F231245608) selected nothing: no package, but the grades are still submitted.
          let packaged = data.filter { Self.text($0[0]) != "F231245608" }
          #expect(packaged.count == count("term=\"1\" code=") && data.count - packaged.count == 1)
        case ("313302_112_0_26.xlsx", _): #expect(data.count == count("<outcome "))
        case ("313302_112_0_25.xlsx", "競賽參與紀錄"): #expect(data.count == count("category=\"competition\""))
        case ("313302_112_1_24.xlsx", _): #expect(data.count == count("<cadre academicYear=\"112\" term=\"1\""))
        default: break
        }
        for row in data {
          for (index, header) in headers.enumerated() where header.hasSuffix("連結") && header != "外部影音連結" {
            guard let linkText = Self.text(index < row.count ? row[index] : nil) else { continue }
            let md5s = (Self.text(row[index + 1]) ?? "").split(separator: ";").map(String.init)
            let targets = linkText.split(separator: ";").map(String.init)
            #expect(md5s.count == targets.count)
            for (target, md5) in zip(targets, md5s) {
              let parts = target.split(separator: "#").map(String.init)
              try #require(parts.count == 2, "\(target) is {package}#{entry}")
              // The row is that package's student, and its summary is the package's text.
              let manifest = byName[parts[0]] ?? ""
              #expect(manifest.contains("national-id\">\(Self.text(row[0]) ?? "-")</idNumber>"), "\(target)")
              let summary = headers.firstIndex { $0.hasSuffix("簡述") }.flatMap { Self.text(row[$0]) } ?? "-"
              #expect(manifest.contains("<summary>\(summary)</summary>"), "\(target)")
              #expect(manifest.contains("path=\"\(parts[1])\""), "\(target) is listed in the manifest")
              let bytes = try Self.unzip(packages + "/" + parts[0], parts[1])
              #expect(try SystemTool.digest("md5sum", of: bytes) == md5, "\(target)")
              links += 1
            }
          }
        }
      }
    }
    #expect(links >= 4, "the samples' selected items link their files")
  }

  @Test func theSamplesRostersMatchTheGoldenCellsAndAreByteIdenticalOnARerun() throws {
    let run = try Self.presubmit()
    defer { try? FileManager.default.removeItem(atPath: run.folder) }
    try expectGolden(run.json, "roster-samples-112.json")
    let again = NSTemporaryDirectory() + "roster-again-\(UUID().uuidString)"
    defer { try? FileManager.default.removeItem(atPath: again) }
    let second = try CLI.run(
      ["roster", "samples/drop", "--year", "112", "--out", again], in: CLI.repository.path,
      environment: ["SOURCE_DATE_EPOCH": "1700000000"])
    #expect(second.status == 1, "110004's central package is refused, so the roster command says so")
    #expect(second.stdout.contains("left out (central package refused): 110004"))
    for name in try FileManager.default.contentsOfDirectory(atPath: run.folder + "/rosters") {
      let first = FileManager.default.contents(atPath: run.folder + "/rosters/" + name)
      #expect(first != nil && first == FileManager.default.contents(atPath: again + "/rosters/" + name), "\(name)")
    }
  }

  static func unzip(_ zip: String, _ entry: String) throws -> Data {
    let (status, data) = try SystemTool.run("/usr/bin/unzip", ["-p", zip, entry])
    try #require(status == 0, "\(entry) is an entry of \(zip)")
    return data
  }
}
