import Foundation

/// report.html from what `StaffReportParts` counted and kept: the cards, the finding lists (the
/// school's, then a class at a time), the size chart, the tables, the notices and rosters.
struct StaffReportPage {
  let report: StaffReportParts
  let ledgerNotes: [String]
  let rosterLinks: [String]
  let sections: [String]

  static let style = """
    <style>
    body { font-family: "Noto Sans CJK TC", "Noto Sans TC", sans-serif; margin: 1.5rem; color: #222; line-height: 1.5; }
    h1 { font-size: 1.5rem; margin-bottom: .2rem; } h2 { font-size: 1.15rem; margin-top: 1.8rem; border-bottom: 2px solid #2a6; }
    .meta { color: #555; }
    .cards { display: flex; flex-wrap: wrap; gap: .8rem; margin-top: 1rem; }
    .card { border: 1px solid #ccc; border-radius: 6px; padding: .6rem 1rem; min-width: 8rem; }
    .card b { display: block; font-size: 1.6rem; } .bad b { color: #b22; } .good b { color: #2a6; }
    table { border-collapse: collapse; margin-top: .5rem; } th, td { border: 1px solid #ccc; padding: .25rem .6rem; text-align: left; }
    th { background: #f2f2f2; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
    .grid { display: flex; flex-wrap: wrap; gap: 2rem; } ul.notices { columns: 4; }
    .banner { border: 2px solid #c33; border-radius: 6px; padding: .4rem 1rem; margin-top: 1rem; background: #fff4f4; }
    .error { color: #b22; font-weight: bold; } .warning { color: #a60; } code { color: #555; font-size: .85em; }
    details { margin-top: .6rem; } summary { font-weight: bold; cursor: pointer; }
    @media print { details > summary { list-style: none; } }
    </style>
    """

  func table(_ headers: [String], _ rows: [[String]], numeric: Set<Int> = []) -> String {
    tableHead(headers) + rows.map { StaffReportPart.row($0, numeric: numeric) }.joined(separator: "\n")
      + "\n</tbody></table>"
  }

  func tableHead(_ headers: [String]) -> String {
    "<table><thead><tr>" + headers.map { "<th>\(HTML.escape($0))</th>" }.joined() + "</tr></thead><tbody>\n"
  }

  func write(_ page: PageSink) throws {
    let summary = report.summary
    let generated = PeopleDates.moment(report.date, in: report.timeZone)
    let school = report.school
    let ledgerBox =
      ledgerNotes.isEmpty
      ? ""
      : "<div style=\"border: 2px solid #c33; border-radius: 6px; padding: .4rem 1rem; margin-top: 1rem\"><b>Ledger recovered 帳本已復原</b><ul>"
        + ledgerNotes.map { "<li>\(HTML.escape($0))</li>" }.joined() + "</ul></div>\n"
    try page.append(
      """
      \(HTML.documentStart(title: "學習歷程檔案 檢查報告 — \(school?.schoolCode ?? "")"))
      \(Self.style)
      </head>
      <body>
      <h1>學習歷程檔案 檢查報告 Validation report</h1>
      <p class="meta">\(HTML.escape(school?.schoolCode ?? "")) \(HTML.escape(school?.schoolName ?? "")) · \(HTML.escape(generated)) · \(HTML.escape("portfolio \(PortfolioVersion.current)")) · policy table \(HTML.escape(report.table.fingerprint))</p>
      \(banners())
      \(ledgerBox)<div class="cards">
      <div class="card"><b>\(summary.students)</b>學生 students</div>
      <div class="card good"><b>\(summary.itemsAccepted)</b>作品通過 items accepted</div>
      <div class="card bad"><b>\(summary.itemsRejected)</b>作品退件 items rejected</div>
      <div class="card good"><b>\(summary.filesAccepted)</b>檔案通過 files accepted</div>
      <div class="card bad"><b>\(summary.filesRejected)</b>檔案退件 files rejected</div>
      <div class="card bad"><b>\(summary.errors)</b>錯誤 errors</div>
      <div class="card"><b>\(summary.warnings)</b>建議 warnings</div>
      <div class="card"><b>\(ByteCount.text(summary.bytes))</b>已檢查 checked</div>
      </div>

      """)
    try writeFindingLists(page)
    try page.append(
      """

      <h2>各類型檔案大小與上限 Files by type and size against the limit</h2>
      \(sizeChart())
      <div class="grid">
      <section><h2>各問題數量 Findings by code</h2>\(table(["問題 finding", "嚴重度 severity", "數量 count"], codeRows(summary), numeric: [2]))</section>
      <section><h2>各班統計 By class</h2>\(table(["班級 class", "學生 students", "檔案 files", "退件檔案 rejected files", "錯誤 errors"], classRows(), numeric: [1, 2, 3, 4]))</section>
      <section><h2>各學年度 By academic year</h2>\(table(["學年度 year", "作品 items", "通過 accepted", "退件 rejected"], yearRows(), numeric: [1, 2, 3]))</section>
      </div>
      <h2>問題最多的學生 Students with most problems</h2>
      \(table(["學號 student", "班級 class", "錯誤 errors", "建議 warnings", "通知 notice"], problemRows(), numeric: [2, 3]))
      <h2>最大的檔案 Largest files</h2>
      \(table(["檔案 file", "類型 type", "大小 size", "上限 limit", "結果 verdict"], largestRows()))
      <h2>學生通知 Student notices</h2>
      <ul class="notices">
      """)
    for (number, link) in report.noticeLinks.sorted(by: { $0.number < $1.number }) {
      try page.append("<li><a href=\"\(HTML.escape(link))\">\(HTML.escape(number))</a></li>")
    }
    try page.append("</ul>\n\(rosterBox())\(sections.joined())</body>\n</html>\n")
  }

  func rosterBox() -> String {
    guard !rosterLinks.isEmpty else { return "" }
    return
      "<h2>Rosters 名冊 (for the central database)</h2>\n<p>These workbooks hold ID numbers unmasked: open them only on a staff machine. "
      + "名冊含未遮蔽的身分證號，請僅在承辦人員的電腦開啟。</p>\n<ul>"
      + rosterLinks.map {
        "<li><a href=\"\(HTML.escape($0))\">\(HTML.escape($0.split(separator: "/").last.map(String.init) ?? $0))</a></li>"
      }
      .joined() + "</ul>\n"
  }

  /// An inline SVG: for each type, how many files fall in each fifth of their limit, and over it.
  func sizeChart() -> String {
    let buckets = ["≤ 25 %", "≤ 50 %", "≤ 75 %", "≤ 100 %", "over"]
    let colors = ["#9cd3b0", "#5fb880", "#2a8a55", "#e0a030", "#c33"]
    var rows: [(String, [Int])] = []
    let types = ContentType.allCases.map(\.rawValue)
    let other = report.otherTypes
    for type in types { rows.append((type, report.sizes[type] ?? [Int](repeating: 0, count: buckets.count))) }
    let width = 560.0
    let total = max(1, rows.map { $0.1.reduce(0, +) }.max() ?? 1)
    var svg =
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"760\" height=\"\(rows.count * 30 + 60)\" role=\"img\" aria-label=\"files by type and size\">"
    for (index, (type, counts)) in rows.enumerated() {
      let y = Double(index * 30 + 10)
      svg += "<text x=\"0\" y=\"\(y + 15)\" font-size=\"13\">\(HTML.escape(type))</text>"
      var x = 130.0
      for (bucket, count) in counts.enumerated() where count > 0 {
        let w = width * Double(count) / Double(total)
        svg +=
          "<rect x=\"\(x)\" y=\"\(y)\" width=\"\(w)\" height=\"20\" fill=\"\(colors[bucket])\"><title>\(buckets[bucket]) of the limit: \(count)</title></rect>"
        if w > 18 { svg += "<text x=\"\(x + 4)\" y=\"\(y + 15)\" font-size=\"12\" fill=\"#000\">\(count)</text>" }
        x += w
      }
      svg += "<text x=\"\(x + 6)\" y=\"\(y + 15)\" font-size=\"12\">\(counts.reduce(0, +))</text>"
    }
    let legendY = Double(rows.count * 30 + 25)
    for (index, bucket) in buckets.enumerated() {
      let x = 130.0 + Double(index) * 110
      svg +=
        "<rect x=\"\(x)\" y=\"\(legendY)\" width=\"14\" height=\"14\" fill=\"\(colors[index])\"/><text x=\"\(x + 18)\" y=\"\(legendY + 12)\" font-size=\"12\">\(HTML.escape(bucket == "over" ? "超過上限 over the limit" : bucket + " of the limit"))</text>"
    }
    svg += "</svg>"
    return svg
      + (other > 0 ? "<p>另有 \(other) 個檔案不是允許的格式（見上方問題清單）。\(other) file(s) of types that are not allowed.</p>" : "")
  }
}

extension StaffReportPage {
  func codeRows(_ summary: ValidationReport.Summary) -> [[String]] {
    summary.findingsByCode.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { code, count -> [String] in
      let known = Finding.Code(rawValue: code)
      let name: String =
        known.map { "\(HTML.escape($0.zhName)) <code>\(HTML.escape(code))</code>" } ?? HTML.escape(code)
      return [name, known.map { $0.defaultSeverity == .error ? "錯誤 error" : "建議 warning" } ?? "", String(count)]
    }
  }

  func classRows() -> [[String]] {
    report.members.keys.sorted().map { name -> [String] in
      let counted = report.classFiles[name] ?? (0, 0)
      return [
        HTML.escape(name), String(report.members[name]?.students ?? 0), String(counted.all),
        String(counted.rejected), String(report.members[name]?.errors ?? 0),
      ]
    }
  }

  func yearRows() -> [[String]] {
    report.years.sorted(by: { $0.key < $1.key }).map { year, counted in
      [String(year), String(counted.items), String(counted.accepted), String(counted.items - counted.accepted)]
    }
  }

  func problemRows() -> [[String]] {
    let links = Dictionary(report.noticeLinks, uniquingKeysWith: { first, _ in first })
    return report.mostProblems.map { student -> [String] in
      let link = links[student.number].map { "<a href=\"\(HTML.escape($0))\">通知</a>" } ?? ""
      return [
        HTML.escape(student.number), HTML.escape(student.className ?? "—"), String(student.errors),
        String(student.warnings), link,
      ]
    }
  }

  func largestRows() -> [[String]] { report.largest.map(\.row) }

  /// Banners at the top: no student at all, or problems only staff can fix.
  func banners() -> String {
    var lines: [String] = []
    if report.summary.students == 0 {
      lines.append("名冊中沒有任何學生，這次沒有檢查任何人的檔案。No student in students.csv: nobody was checked.")
    }
    let schools = report.schoolList.rows
    if schools > 0 {
      lines.append(
        "有 \(schools) 項問題只有學校能處理（名冊、資料夾或伺服器），見<a href=\"#school\">需要學校處理</a>。"
          + "\(schools) finding(s) only staff can fix.")
    }
    return lines.map { "<div class=\"banner\">\($0)</div>" }.joined(separator: "\n")
  }

  /// Both finding lists, as HTML sections, a class at a time, their rows as they were kept.
  func writeFindingLists(_ page: PageSink) throws {
    let schools = report.schoolList
    try page.append(
      """
      <h2 id="school">需要學校處理 Only staff can fix these (\(schools.rows))</h2>

      """)
    if schools.rows == 0 {
      try page.append("<p>沒有。None: the tables, the folders and the server are in order.</p>")
    } else {
      try page.append(tableHead(["位置 where", "問題 finding", "說明 what is wrong and what to do"]))
      try report.writeRows(schools, to: page)
      try page.append("\n</tbody></table>")
    }
    try page.append(
      """

      <h2 id="classes">各班的問題 Findings by class</h2>

      """)
    guard !report.classLists.isEmpty else { return try page.append("<p>沒有。No student has a finding.</p>") }
    for (position, name) in report.classLists.keys.sorted().enumerated() {
      let list = report.classLists[name] ?? StaffReportParts.FindingList()
      if position > 0 { try page.append("\n") }
      let summary = "\(HTML.escape(name)) 班：\(list.people) 位學生，\(list.errors) 項錯誤，\(list.rows - list.errors) 項建議"
      try page.append("<details open><summary>\(summary)</summary>")
      try page.append(
        tableHead(["學號 student", "姓名 name", "作品 item", "檔案 file", "問題 finding", "給學生的說明 what the student was told", ""])
      )
      try report.writeRows(list, to: page)
      try page.append("\n</tbody></table>")
      try page.append("</details>")
    }
  }
}

extension StaffReportPart {
  /// Adds this part's counts to the report's tables.
  func count(into report: StaffReportParts) {
    let classOf = { (number: String) in students[number]?.className ?? "—" }
    for file in part.files {
      report.classFiles[classOf(file.studentNumber), default: (0, 0)].all += 1
      if file.verdict == .rejected { report.classFiles[classOf(file.studentNumber), default: (0, 0)].rejected += 1 }
    }
    for student in students.values {
      report.members[student.className ?? "—", default: (0, 0)].students += 1
      report.members[student.className ?? "—", default: (0, 0)].errors += counts[student.studentNumber]?.errors ?? 0
      let (errors, warnings) = counts[student.studentNumber] ?? (0, 0)
      guard errors + warnings > 0 else { continue }
      let entry = (number: student.studentNumber, className: student.className, errors: errors, warnings: warnings)
      let before = {
        (
          a: (number: String, className: String?, errors: Int, warnings: Int),
          b: (number: String, className: String?, errors: Int, warnings: Int)
        ) in
        (b.errors, b.warnings, a.number) < (a.errors, a.warnings, b.number)
      }
      report.mostProblems.insert(
        entry, at: report.mostProblems.firstIndex { before(entry, $0) } ?? report.mostProblems.count)
      if report.mostProblems.count > 10 { report.mostProblems.removeLast() }
    }
    let rejected = part.rejectedItems
    for item in part.scan.items {
      guard let manifest = item.manifest else { continue }
      let key = ItemKey(studentNumber: item.studentNumber, itemId: manifest.itemId)
      report.years[manifest.academicYear, default: (0, 0)].items += 1
      if !rejected.contains(key) { report.years[manifest.academicYear, default: (0, 0)].accepted += 1 }
    }
    countSizes(into: report)
  }

  /// The policy limit of a file for its item's kind (a multiple performance's when the item is unknown).
  func limit(_ file: FileRecord) -> Int64? {
    let kind = items[ItemKey(studentNumber: file.studentNumber, itemId: file.itemId)]?.kind ?? .multiplePerformance
    return table.policies.first { $0.id == file.policy }.map { $0.limit(role: file.role, kind: kind) }
  }

  /// The size chart's counts and the largest files.
  func countSizes(into report: StaffReportParts) {
    let types = ContentType.allCases.map(\.rawValue)
    let buckets = 5
    for file in part.files {
      // The ten largest (ties by path) in one pass: each record is made once.
      let before = { (bytes: Int64, path: String, other: (bytes: Int64, path: String, row: [String])) in
        (other.bytes, path) < (bytes, other.path)
      }
      if report.largest.count < 10 || before(file.bytes, file.path, report.largest[report.largest.count - 1]) {
        let limit = limit(file).map { ByteCount.text($0) } ?? ""
        let row = [
          HTML.escape(file.path), HTML.escape(file.mime), ByteCount.text(file.bytes), limit, file.verdict.rawValue,
        ]
        let at = report.largest.firstIndex { before(file.bytes, file.path, $0) } ?? report.largest.count
        report.largest.insert((file.bytes, file.path, row), at: at)
        if report.largest.count > 10 { report.largest.removeLast() }
      }
      guard types.contains(file.mime) else {
        report.otherTypes += 1
        continue
      }
      let policy = table.policies.first { $0.id == file.policy } ?? table.policies[0]
      let limit = Double(
        policy.limit(
          role: file.role,
          kind: items[ItemKey(studentNumber: file.studentNumber, itemId: file.itemId)]?.kind ?? .multiplePerformance))
      let ratio = Double(file.bytes) / max(limit, 1)
      let quarter = ratio > 1 ? 3 : max(0, (Int(exactly: (ratio * 4).rounded(.up)) ?? 4) - 1)
      report.sizes[file.mime, default: [Int](repeating: 0, count: buckets)][ratio > 1 ? 4 : quarter] += 1
    }
  }
}
