import Foundation
import PortfolioCore
import TestSupport
import Testing

/// What a 16-year-old reads: every notice of the samples is read for machine values a student
/// cannot use — ISO timestamps and dates, item ids, `item.json`, `JSON` — and for what it must
/// say: the school's name, the item by its title, the other file of a duplicate, a rejected
/// outcome as rejected, a graduated student's problems as no longer fixable.
@Suite(.serialized) struct NoticeWordingTests {
  static let notices: [String: String] = {
    let output = FileManager.default.temporaryDirectory.appendingPathComponent("wording-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: output) }
    _ = try? CLI.run(
      ["run", "pipelines/nightly.yml", "--drop", "samples/drop", "--output", output], in: CLI.repository.path,
      environment: ["SOURCE_DATE_EPOCH": "1700000000"])
    var texts: [String: String] = [:]
    for name in (try? FileManager.default.contentsOfDirectory(atPath: output + "/notices")) ?? []
    where !name.hasPrefix(".") {
      texts[name] = (try? String(contentsOfFile: output + "/notices/" + name, encoding: .utf8)) ?? ""
    }
    return texts
  }()

  static let machineValues: [(String, String)] = [
    (#"\d{4}-\d{2}-\d{2}"#, "an ISO date"), (#"T\d{2}:\d{2}"#, "an ISO time"), (#"[+-]\d{2}:\d{2}\b"#, "a UTC offset"),
    (#"\b(cs|mp|cc|co)-\d{3}-\d{4}\b"#, "an item id"), ("item\\.json", "item.json"), ("JSON", "JSON"),
  ]

  @Test func noNoticeShowsAMachineValue() throws {
    #expect(Self.notices.count == 6, "three students, text and HTML: \(Self.notices.keys.sorted())")
    for (name, text) in Self.notices {
      for (pattern, what) in Self.machineValues {
        let found = text.range(of: pattern, options: .regularExpression).map { String(text[$0]) }
        #expect(found == nil, "\(name) shows \(what): \(found ?? "")")
      }
    }
  }

  @Test func aNoticeNamesTheSchoolAndEveryItemByWhatTheStudentKnows() throws {
    let notice = try #require(Self.notices["110002.txt"])
    #expect(notice.hasPrefix("臺北市立範例高級中學\n學習歷程檔案 上傳檢查通知\n"))
    #expect(notice.contains("學校在民國 112 年 11 月 15 日檢查了你上傳的學習歷程檔案"))
    // The item whose data is broken is named by the file in its folder.
    #expect(notice.contains("7. 含有檔案「草稿.pdf」的上傳\n   這筆上傳的資料內容有誤"))
    #expect(notice.contains("內容其實是 iPhone 的 HEIC 照片，"))
    #expect(notice.contains("   請在民國 113 年 7 月 31 日 23:59 前處理。"))
    #expect(notice.contains("・112 學年度多元表現：民國 113 年 7 月 31 日 23:59 截止"))
  }

  @Test func rejectedDuplicateAndLateAreSaidAsTheyAre() throws {
    let notice = try #require(Self.notices["110004.txt"])
    #expect(notice.contains("但它被老師退回了（老師說明：與本課程主題無關）。只有認證通過的成果可以勾選；請依老師的說明修改後"))
    #expect(!notice.contains("被老師退回了（老師說明：與本課程主題無關）。只有認證通過的成果可以勾選；請等老師認證"))
    #expect(notice.contains("「期末.pdf」和你上傳在課程學習成果「國語文：新詩創作」的「新詩.pdf」內容完全相同。"))
    #expect(
      notice.contains(
        "上傳的時間（民國 113 年 2 月 15 日 10:00）不在學校開放的上傳期間（民國 112 年 9 月 1 日 00:00 至 民國 113 年 1 月 31 日 23:59）內"))
  }

  @Test func aGraduatedStudentIsToldNothingCanBeChangedAnyMore() throws {
    let notice = try #require(Self.notices["110003.txt"])
    #expect(notice.contains("你已經畢業（最後一個學年度是 110 學年度），學習歷程檔案已無法再上傳或修改。"))
    #expect(notice.contains("■ 已無法修改（10 項，僅供參考）"))
    #expect(!notice.contains("需要你處理"))
    #expect(!notice.contains("上傳期限"))
  }
}

#if canImport(Glibc)
  import Glibc
#endif

/// What the school's server cannot read is the school's to fix: the student is told that part
/// of their uploads was not checked and that they need not upload again — never to re-upload
/// a file they cannot fix, and never a clean notice when their folder was not read at all.
@Suite(.serialized) struct ServerSideNoticeTests {
  @Test func unreadableFilesAndFoldersAreTheSchoolsToFix() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("server-\(UUID().uuidString)").path
    defer {
      chmod(root + "/drop/uploads/110002", 0o755)
      try? FileManager.default.removeItem(atPath: root)
    }
    let drop = root + "/drop"
    let folder = drop + "/uploads/110001/mp-112-0001"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    try FileManager.default.createDirectory(
      atPath: drop + "/uploads/110002/mp-112-0001", withIntermediateDirectories: true)
    try Data(#"{"schoolCode":"313302","schoolType":"general"}"#.utf8).write(
      to: URL(fileURLWithPath: drop + "/school.json"))
    try Data(
      "studentNumber,idNumber,name,birthDate,enrollmentYear\n110001,A123456789,王小明,2007-05-14,112\n110002,B123456780,李小華,2007-06-01,112\n"
        .utf8
    ).write(to: URL(fileURLWithPath: drop + "/students.csv"))
    try Data("studentNumber,academicYear,term,courseCode,courseName,credits,score,passed,teacherIds\n".utf8)
      .write(to: URL(fileURLWithPath: drop + "/courses.csv"))
    try Data("%PDF-1.4 secret".utf8).write(to: URL(fileURLWithPath: folder + "/locked.pdf"))
    try Data(
      #"{"itemId":"mp-112-0001","kind":"multiple-performance","academicYear":112,"title":"作品","category":"works","startDate":"2023-09-01","files":[{"name":"locked.pdf","role":"document"}]}"#
        .utf8
    ).write(to: URL(fileURLWithPath: folder + "/item.json"))
    for path in [root, drop, drop + "/uploads", drop + "/uploads/110001", folder] { chmod(path, 0o777) }
    #expect(chmod(folder + "/locked.pdf", 0) == 0)
    #expect(chmod(drop + "/uploads/110002", 0) == 0)

    let outcome = try CLI.run(["notices", drop, "--out", root + "/out"], asUser: getuid() == 0 ? 65534 : nil)
    #expect(outcome.status == 1, "\(outcome.stdout)\(outcome.stderr)")
    let notChecked = "學校的系統這次無法讀取你的部分上傳資料（這是學校端的問題，學校會處理），那些資料這次沒有檢查。你不需要重新上傳。"
    for student in ["110001", "110002"] {
      let notice = try String(contentsOfFile: root + "/out/\(student).txt", encoding: .utf8)
      #expect(notice.contains(notChecked), "\(student): \(notice)")
      #expect(!notice.contains("需要你處理"), "\(student): \(notice)")
      #expect(!notice.contains("locked.pdf") && !notice.contains("請重新上傳"), "\(student): \(notice)")
    }
  }
}

/// The staff report lists what it counts: every rejected file of the samples is in a row of
/// its class, what only staff can fix has its own list, and every code is named in Chinese.
@Suite(.serialized) struct StaffReportListTests {
  @Test func everyRejectedFileAndEverySchoolProblemHasARow() throws {
    let output = FileManager.default.temporaryDirectory.appendingPathComponent("staff-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: output) }
    _ = try CLI.run(
      ["run", "pipelines/nightly.yml", "--drop", "samples/drop", "--output", output], in: CLI.repository.path,
      environment: ["SOURCE_DATE_EPOCH": "1700000000"])
    let html = try String(contentsOfFile: output + "/report.html", encoding: .utf8)
    let report = try JSONDecoder().decode(
      ValidationReport.self, from: Data(contentsOf: URL(fileURLWithPath: output + "/report.json")))
    let rejected = report.files.filter { $0.verdict == .rejected }
    #expect(rejected.count == 19)
    for file in rejected {
      #expect(html.contains("<span title=\"\(file.path)\">\(file.originalName)</span>"), "\(file.path) is not listed")
    }
    #expect(html.contains("<h2 id=\"school\">需要學校處理 Only staff can fix these (1)</h2>"))
    #expect(
      html.contains("<td>uploads/119999</td><td><span class=\"error\">名冊查無此生</span><br><code>unknown-student</code>"))
    #expect(html.contains("<summary>101 班：1 位學生，8 項錯誤，3 項建議</summary>"))
    #expect(html.contains("民國 112 年 11 月 15 日"))
    #expect(!html.contains("over of limit"))
  }
}
