import Foundation

/// The staff report's lists: every finding in a row, what only the school can fix first (the
/// tables, the folders of `uploads/`, what the server could not read), then each class with
/// its students' findings — student, item by kind and title, file, the finding in Chinese with
/// its code, and what to do.
extension StaffReport {
  /// Whether only the school can act on the finding: it is on no student, or on a table row,
  /// a student the tables do not know, or something the server could not read.
  static func isSchoolsToFix(_ finding: Finding, students: [String: Student]) -> Bool {
    guard let number = finding.studentNumber, students[number] != nil else { return true }
    switch finding.code {
    case .unreadable, .unknownStudent: return true
    case .badMetadata: return finding.itemId == nil
    default: return false
    }
  }

  /// The item of a finding as staff and students name it: kind and title.
  func itemName(_ finding: Finding, items: ItemIndex) -> String {
    guard let number = finding.studentNumber, let id = finding.itemId else { return "—" }
    guard let item = items[ItemKey(studentNumber: number, itemId: id)] else {
      return NoticeWriter.unnamedItem(finding.details)
    }
    return "\(item.kind.zh)「\(item.title ?? "（沒有標題）")」（\(item.academicYear)）"
  }

  /// The finding's code as a cell: its Chinese name, the code beside it, red for errors.
  func codeCell(_ finding: Finding) -> String {
    let css = finding.severity == .error ? "error" : "warning"
    return
      "<span class=\"\(css)\">\(HTML.escape(finding.code.zhName))</span><br><code>\(HTML.escape(finding.code.rawValue))</code>"
  }

  /// The file of a finding by its name (the path on hover); a finding on a whole item names
  /// every file of the item, which it rejects with it.
  func fileCell(_ finding: Finding, items: ItemIndex) -> String {
    func cell(_ path: String, _ name: String) -> String {
      "<span title=\"\(HTML.escape(path))\">\(HTML.escape(name))</span>"
    }
    if let path = finding.file {
      return cell(path, finding.itemId == nil ? path : String(path.split(separator: "/").last ?? ""))
    }
    guard let number = finding.studentNumber, let id = finding.itemId,
      let item = items[ItemKey(studentNumber: number, itemId: id)], !item.files.isEmpty
    else { return "—" }
    return item.files.map { cell("uploads/\(number)/\(id)/\($0.name)", $0.name) }.joined(separator: "<br>")
  }

  /// The rows of what only the school can fix: where, the finding, and the staff message.
  func schoolRows(_ findings: [Finding]) -> [[String]] {
    findings.map { finding -> [String] in
      let place: String = finding.file ?? finding.studentNumber.map { "uploads/\($0)" } ?? "—"
      return [HTML.escape(place), codeCell(finding), HTML.escape(finding.messageEN)]
    }
  }

  /// One class's findings, a row each: student, item, file, finding, what the student was told.
  func writeClassSection(
    _ page: PageSink, _ name: String, findings: [Finding], positions: [Int], students: [String: Student],
    items: ItemIndex
  ) throws {
    let errors = positions.count { findings[$0].severity == .error }
    let people = Set(positions.compactMap { findings[$0].studentNumber }).count
    let rows = positions.lazy.map { position -> [String] in
      let finding = findings[position]
      let number = finding.studentNumber ?? ""
      let link: String = noticeLinks[number].map { "<a href=\"\(HTML.escape($0))\">通知</a>" } ?? ""
      return [
        HTML.escape(number), HTML.escape(students[number]?.name ?? ""), HTML.escape(itemName(finding, items: items)),
        fileCell(finding, items: items), codeCell(finding), HTML.escape(finding.messageZH), link,
      ]
    }
    let summary: String = "\(HTML.escape(name)) 班：\(people) 位學生，\(errors) 項錯誤，\(positions.count - errors) 項建議"
    try page.append("<details open><summary>\(summary)</summary>")
    try writeTable(
      page, ["學號 student", "姓名 name", "作品 item", "檔案 file", "問題 finding", "給學生的說明 what the student was told", ""],
      rows)
    try page.append("</details>")
  }

  /// Both lists, as HTML sections, a class at a time (findings by position, never copied).
  func writeFindingLists(_ page: PageSink, tallies: Tallies) throws {
    let students = tallies.students
    let findings = validation.findings
    var schools: [Int] = []
    var byClass: [String: [Int]] = [:]
    for (index, finding) in findings.enumerated() {
      if Self.isSchoolsToFix(finding, students: students) {
        schools.append(index)
      } else {
        byClass[students[finding.studentNumber ?? ""]?.className ?? "—", default: []].append(index)
      }
    }
    let school: String =
      schools.isEmpty
      ? "<p>沒有。None: the tables, the folders and the server are in order.</p>"
      : table(["位置 where", "問題 finding", "說明 what is wrong and what to do"], schoolRows(schools.map { findings[$0] }))
    try page.append(
      """
      <h2 id="school">需要學校處理 Only staff can fix these (\(schools.count))</h2>
      \(school)
      <h2 id="classes">各班的問題 Findings by class</h2>

      """)
    guard !byClass.isEmpty else { return try page.append("<p>沒有。No student has a finding.</p>") }
    for (position, name) in byClass.keys.sorted().enumerated() {
      let ordered = (byClass[name] ?? []).sorted {
        (findings[$0].studentNumber ?? "") < (findings[$1].studentNumber ?? "")
      }
      if position > 0 { try page.append("\n") }
      try writeClassSection(
        page, name, findings: findings, positions: ordered, students: students, items: tallies.items)
    }
  }

  /// Banners at the top: no student at all, or problems only staff can fix.
  func banners() -> String {
    var lines: [String] = []
    if validation.scan.roster.students.isEmpty {
      lines.append("名冊中沒有任何學生，這次沒有檢查任何人的檔案。No student in students.csv: nobody was checked.")
    }
    let students = validation.scan.roster.students
    let schools = validation.findings.count { Self.isSchoolsToFix($0, students: students) }
    if schools > 0 {
      lines.append(
        "有 \(schools) 項問題只有學校能處理（名冊、資料夾或伺服器），見<a href=\"#school\">需要學校處理</a>。"
          + "\(schools) finding(s) only staff can fix.")
    }
    return lines.map { "<div class=\"banner\">\($0)</div>" }.joined(separator: "\n")
  }
}
