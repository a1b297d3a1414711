import Foundation

/// One part of a run as the staff report sees it: its finding rows — every finding in a row,
/// what only the school can fix apart, then each class with its students' findings (student,
/// item by kind and title, file, the finding in Chinese with its code, and what to do) — and
/// its counts for the report's tables.
struct StaffReportPart {
  let part: Validation
  let noticeLinks: [String: String]
  let table: PolicyTable
  let items: ItemIndex
  /// Errors and warnings per student number.
  let counts: [String: (errors: Int, warnings: Int)]

  init(part: Validation, noticeLinks: [String: String], table: PolicyTable) {
    (self.part, self.noticeLinks, self.table) = (part, noticeLinks, table)
    items = ItemIndex(part.scan.items)
    var counts: [String: (errors: Int, warnings: Int)] = [:]
    for finding in part.findings {
      guard let number = finding.studentNumber else { continue }
      switch finding.severity {
      case .error: counts[number, default: (0, 0)].errors += 1
      case .warning: counts[number, default: (0, 0)].warnings += 1
      }
    }
    self.counts = counts
  }

  var students: [String: Student] { part.scan.roster.students }

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

  /// One table row in HTML (`numeric` columns right-aligned).
  static func row(_ cells: [String], numeric: Set<Int> = []) -> String {
    var line = "<tr>"
    for (column, cell) in cells.enumerated() {
      line += numeric.contains(column) ? "<td class=\"n\">\(cell)</td>" : "<td>\(cell)</td>"
    }
    return line + "</tr>"
  }

  /// The item of a finding as staff and students name it: kind and title.
  func itemName(_ finding: Finding) -> String {
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
  func fileCell(_ finding: Finding) -> String {
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

  /// The positions of the findings only the school can fix, in report order.
  func schoolFindings() -> [Int] {
    part.findings.indices.filter { Self.isSchoolsToFix(part.findings[$0], students: students) }
  }

  /// The row of a finding only the school can fix: where, the finding, and the staff message.
  func schoolRow(_ position: Int) -> String {
    let finding = part.findings[position]
    let place: String = finding.file ?? finding.studentNumber.map { "uploads/\($0)" } ?? "—"
    return Self.row([HTML.escape(place), codeCell(finding), HTML.escape(finding.messageEN)])
  }

  /// Each class's findings by position, in student order, with its errors and how many
  /// students they are on.
  func classSections() -> [(name: String, positions: [Int], errors: Int, people: Int)] {
    var byClass: [String: [Int]] = [:]
    for (index, finding) in part.findings.enumerated() where !Self.isSchoolsToFix(finding, students: students) {
      byClass[students[finding.studentNumber ?? ""]?.className ?? "—", default: []].append(index)
    }
    return byClass.map { name, positions in
      let ordered = positions.sorted {
        (part.findings[$0].studentNumber ?? "") < (part.findings[$1].studentNumber ?? "")
      }
      let errors = ordered.count { part.findings[$0].severity == .error }
      let people = Set(ordered.compactMap { part.findings[$0].studentNumber }).count
      return (name, ordered, errors, people)
    }
  }

  /// A class's row: student, item, file, finding, what the student was told, the notice.
  func classRow(_ position: Int) -> String {
    let finding = part.findings[position]
    let number = finding.studentNumber ?? ""
    let link: String = noticeLinks[number].map { "<a href=\"\(HTML.escape($0))\">通知</a>" } ?? ""
    return Self.row([
      HTML.escape(number), HTML.escape(students[number]?.name ?? ""), HTML.escape(itemName(finding)),
      fileCell(finding), codeCell(finding), HTML.escape(finding.messageZH), link,
    ])
  }
}
