import Foundation

/// Each student's confirmation page from the comparison.
extension ReceiptCheck {
  /// One page per student of the school the rosters or the receipt name, by student number.
  func pages() -> [ConfirmationPage] {
    var byPerson: [PersonKey: [RecordOutcome]] = [:]
    for outcome in reconciliation.outcomes { byPerson[outcome.person, default: []].append(outcome) }
    let people = Set(byPerson.keys).union(reconciliation.absentPeople)
    let school = self.school.schoolName.map { "\($0)（\(self.school.schoolCode)）" } ?? self.school.schoolCode
    let period = "\(rosters.academicYear) 學年度" + (term > 0 ? "第 \(term) 學期" : "") + " 中央資料庫收訖明細"
    return people.compactMap { person -> ConfirmationPage? in
      guard let student = students[person] else { return nil }
      let outcomes = byPerson[person] ?? []
      let problems = outcomes.filter { $0.status != .received }
      var opening = ["\(student.name) 同學你好：", "學校已把你的學習歷程資料提交到中央資料庫。以下是中央資料庫收到的內容，請逐項核對是否都是你選的、內容是否正確。"]
      let due = window.map { "請在\(PeopleDates.moment($0.closes, in: timeZone)) 前" } ?? "請儘快"
      if reconciliation.absentPeople.contains(person) {
        opening.append("中央資料庫的收訖明細裡沒有你的任何資料。\(due)告訴註冊組，由學校查明後重新提交。")
      } else if problems.isEmpty {
        opening.append("中央資料庫收到的內容和學校送出的一致。如果發現不是你選的內容或有錯字，\(due)告訴註冊組。")
      } else {
        opening.append("有 \(problems.count) 項和學校送出的不同或缺少（列在下面第一段）。\(due)告訴註冊組，由學校核對、更正後重新提交。")
      }
      var sections: [ConfirmationPage.Section] = []
      if !problems.isEmpty {
        sections.append(
          ConfirmationPage.Section(
            title: "需要你確認：和學校送出的不同或缺少（\(problems.count) 項）", css: "differences",
            entries: problems.map(problemEntry)))
      }
      let matching = outcomes.filter { $0.status == .received }.compactMap(\.received)
      if !matching.isEmpty {
        sections.append(
          ConfirmationPage.Section(
            title: "中央資料庫保存的內容，和學校送出的一致（\(matching.count) 項）", css: "received",
            entries: matching.map(entry)))
      }
      return ConfirmationPage(school: school, period: period, student: student, opening: opening, sections: sections)
    }.sorted { $0.student.studentNumber < $1.student.studentNumber }
  }

  func problemEntry(_ outcome: RecordOutcome) -> ConfirmationPage.Entry {
    // What the central database holds, where it holds something; else what was sent.
    guard let record = outcome.received ?? outcome.submitted else {
      return ConfirmationPage.Entry(heading: "", lines: [])
    }
    var described = entry(record)
    switch outcome.status {
    case .missing: described.lines.insert("學校送出了這一筆，但中央資料庫沒有收到。", at: 0)
    case .unexpected: described.lines.insert("中央資料庫有這一筆，但學校這次沒有送出（可能是舊的或不屬於你的資料）。", at: 0)
    case .different:
      let said = outcome.differences.map { difference in
        difference.isFile
          ? "中央資料庫保存的檔案\(filesOf(difference.column, in: record))和學校送出的不是同一個檔案（內容不同）。"
          : "「\(difference.column)」學校送出的是「\(shown(difference.submitted))」，中央資料庫收到的是「\(shown(difference.received))」。"
      }
      described.lines.insert(contentsOf: said, at: 0)
    case .received, .unknownStudent, .studentAbsent: break
    }
    return described
  }

  func shown(_ value: String) -> String { value.isEmpty ? "（空白）" : value }

  /// The files an MD5 column vouches for, by name: `「雨量計報告.pdf」`.
  func filesOf(_ md5Column: String, in record: SheetRecord) -> String {
    let link: String
    switch md5Column {
    case "文件檔案MD5": link = "課程學習成果文件檔案連結"
    case "證明文件MD5": link = "證明文件連結"
    default: link = record.values["課程學習成果影音檔案連結"] != nil ? "課程學習成果影音檔案連結" : "影音檔案連結"
    }
    let names = (record.values[link] ?? "").split(separator: ";").map { fileName(String($0)) }
    return names.isEmpty ? "" : names.map { "「\($0)」" }.joined(separator: "、")
  }

  /// A record in words: what it is, when, the summary and the files.
  func entry(_ record: SheetRecord) -> ConfirmationPage.Entry {
    let value = { (column: String) in ReceiptValues.normalized(record.values[column] ?? "") }
    let sheet = record.sheet
    var heading: String
    var lines: [String] = []
    var used: Set<String> = ReceiptSheets.linkColumns.union(["成果簡述", "內容簡述"])
    if sheet.hasSuffix("課程學習成果") {
      heading = "[\(sheet)] \(nonEmpty(value("科目名稱"), value("課程代碼")))（\(value("實際修課學年度")) 學年度第 \(value("實際修課學期")) 學期）"
      used.formUnion([
        "科目名稱", "課程代碼", "實際修課學年度", "實際修課學期", "文件檔案MD5", "影音檔案MD5", "開課年級", "修課學分", "認證狀態", "認證教師", "認證時間",
      ])
      if !value("認證狀態").isEmpty {
        lines.append("認證：\(value("認證狀態"))" + (value("認證時間").isEmpty ? "" : "（\(day(value("認證時間")))）"))
      }
    } else if sheet == RosterLayout.gradesSheet || sheet.hasSuffix("成績") {
      heading = "[\(sheet)] \(nonEmpty(value("科目名稱"), value("課程代碼")))（課程代碼 \(value("課程代碼"))）"
      let passed = value("成績及格") == "1" ? "及格" : value("成績及格") == "0" ? "不及格" : ""
      lines.append(
        ["學分 \(value("修課學分"))", "成績 \(value("學期學業成績"))", passed].filter { !$0.isEmpty }.joined(separator: "，"))
      used.formUnion(["科目名稱", "課程代碼", "修課學分", "學期學業成績", "成績及格", "是否採計學分"])
    } else if sheet.hasPrefix("幹部經歷") {
      heading = "[\(sheet)] \(value("單位名稱")) \(value("擔任職務"))"
      lines.append("任期：\(day(value("開始日期"))) 至 \(day(value("結束日期")))")
      used.formUnion(["單位名稱", "擔任職務", "開始日期", "結束日期"])
    } else {
      let layout = RosterLayout.performances.first { $0.sheet == sheet }
      let name = layout?.columns.first { $0.1 == .title }?.0
      let date = ReceiptSheets.identityColumns(sheet: sheet).first { $0.contains("日期") }
      heading = "[\(sheet)] \(name.map { nonEmpty(value($0), "（沒有名稱）") } ?? "檢定證照")"
      if let date, !value(date).isEmpty { heading += "（\(day(value(date)))）" }
      used.formUnion([name, date, "證明文件MD5", "影音檔案MD5"].compactMap { $0 })
    }
    for summary in ["成果簡述", "內容簡述"] where !value(summary).isEmpty { lines.append("簡述：\(value(summary))") }
    let linkOrder = ["課程學習成果文件檔案連結", "證明文件連結", "課程學習成果影音檔案連結", "影音檔案連結"]
    let files = linkOrder.flatMap { column in
      value(column).split(separator: ";").map { link in fileName(String(link)) }
    }
    if !files.isEmpty { lines.append("檔案：" + files.joined(separator: "、")) }
    let rest = record.values.keys.sorted().filter { !used.contains($0) && !value($0).isEmpty }
    let dated = { (column: String) in column.hasSuffix("日期") || column.hasSuffix("時間") }
    if !rest.isEmpty {
      lines.append(rest.map { "\($0)：\(dated($0) ? day(value($0)) : value($0))" }.joined(separator: "；"))
    }
    return ConfirmationPage.Entry(heading: heading, lines: lines)
  }

  func nonEmpty(_ value: String, _ fallback: String) -> String { value.isEmpty ? fallback : value }

  /// A file link as the student named the file (`雨量計報告.pdf`), else the name in the package.
  func fileName(_ link: String) -> String {
    rosters.files[link.trimmingCharacters(in: .whitespaces)]?.name ?? ReceiptSheets.fileNames(link)
  }

  /// A 7-digit Minguo date (`1120830`) as `民國 112 年 8 月 30 日`; other text as it is.
  func day(_ text: String) -> String {
    guard text.count == 7, let iso = SchoolDates.isoDate(text), let words = PeopleDates.day(iso: iso) else {
      return text.isEmpty ? "（未填）" : text
    }
    return words
  }
}
