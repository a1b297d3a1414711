import Foundation

/// The staff report of a run: one self-contained HTML page (no external assets, no network).
public struct StaffReport {
  public let validation: Validation
  public let date: Date
  /// Relative links to the notices, by student number.
  public let noticeLinks: [String: String]
  /// Relative links to the rosters (名冊) written in the same run: linked by file name only,
  /// never with their contents (they carry ID numbers unmasked).
  public let rosterLinks: [String]
  /// Sections of other stages of the run (the receipt check), each from its `<h2>` on.
  public var sections: [String] = []

  public init(validation: Validation, date: Date, noticeLinks: [String: String], rosterLinks: [String] = []) {
    self.validation = validation
    self.date = date
    self.noticeLinks = noticeLinks
    self.rosterLinks = rosterLinks
  }

  /// What the report's tables are made of, computed once: counts and positions, no copies of
  /// the school's items, files or findings.
  struct Tallies {
    let students: [String: Student]
    /// Errors and warnings per student number.
    let counts: [String: (errors: Int, warnings: Int)]
    let items: ItemIndex
    /// Items and accepted items per academic year.
    let years: [Int: (items: Int, accepted: Int)]

    init(_ validation: Validation) {
      students = validation.scan.roster.students
      var counts: [String: (errors: Int, warnings: Int)] = [:]
      for finding in validation.findings {
        guard let number = finding.studentNumber else { continue }
        switch finding.severity {
        case .error: counts[number, default: (0, 0)].errors += 1
        case .warning: counts[number, default: (0, 0)].warnings += 1
        }
      }
      self.counts = counts
      years = Self.years(validation)  // the rejected keys are gone before the index is made
      items = ItemIndex(validation.scan.items)
    }

    static func years(_ validation: Validation) -> [Int: (items: Int, accepted: Int)] {
      let rejected = validation.rejectedItems
      var years: [Int: (items: Int, accepted: Int)] = [:]
      for item in validation.scan.items {
        guard let manifest = item.manifest else { continue }
        let key = ItemKey(studentNumber: item.studentNumber, itemId: manifest.itemId)
        years[manifest.academicYear, default: (0, 0)].items += 1
        if !rejected.contains(key) { years[manifest.academicYear, default: (0, 0)].accepted += 1 }
      }
      return years
    }
  }

  func table(_ headers: [String], _ rows: [[String]], numeric: Set<Int> = []) -> String {
    let page = PageSink()
    try? writeTable(page, headers, rows, numeric: numeric)  // in memory: cannot fail
    return page.text
  }

  /// A table written a row at a time: the rows of a large class are never all in memory.
  func writeTable(_ page: PageSink, _ headers: [String], _ rows: some Sequence<[String]>, numeric: Set<Int> = [])
    throws
  {
    try page.append(
      "<table><thead><tr>" + headers.map { "<th>\(HTML.escape($0))</th>" }.joined() + "</tr></thead><tbody>\n")
    for (index, row) in rows.enumerated() {
      var line = index > 0 ? "\n<tr>" : "<tr>"
      for (column, cell) in row.enumerated() {
        line += numeric.contains(column) ? "<td class=\"n\">\(cell)</td>" : "<td>\(cell)</td>"
      }
      try page.append(line + "</tr>")
    }
    try page.append("\n</tbody></table>")
  }

  func codeRows(_ summary: ValidationReport.Summary) -> [[String]] {
    summary.findingsByCode.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { code, count -> [String] in
      let known = Finding.Code(rawValue: code)
      let name: String =
        known.map { "\(HTML.escape($0.zhName)) <code>\(HTML.escape(code))</code>" } ?? HTML.escape(code)
      return [name, known.map { $0.defaultSeverity == .error ? "錯誤 error" : "建議 warning" } ?? "", String(count)]
    }
  }

  func classRows(_ tallies: Tallies) -> [[String]] {
    let classOf = { (number: String) in tallies.students[number]?.className ?? "—" }
    var files: [String: (all: Int, rejected: Int)] = [:]
    for file in validation.files {
      files[classOf(file.studentNumber), default: (0, 0)].all += 1
      if file.verdict == .rejected { files[classOf(file.studentNumber), default: (0, 0)].rejected += 1 }
    }
    var members: [String: (students: Int, errors: Int)] = [:]
    for student in tallies.students.values {
      members[student.className ?? "—", default: (0, 0)].students += 1
      members[student.className ?? "—", default: (0, 0)].errors += tallies.counts[student.studentNumber]?.errors ?? 0
    }
    return members.keys.sorted().map { name -> [String] in
      let counted = files[name] ?? (0, 0)
      return [
        HTML.escape(name), String(members[name]?.students ?? 0), String(counted.all), String(counted.rejected),
        String(members[name]?.errors ?? 0),
      ]
    }
  }

  func yearRows(_ tallies: Tallies) -> [[String]] {
    tallies.years.sorted(by: { $0.key < $1.key }).map { year, counted in
      [String(year), String(counted.items), String(counted.accepted), String(counted.items - counted.accepted)]
    }
  }

  func problemRows(_ tallies: Tallies) -> [[String]] {
    tallies.students.values
      .map { ($0, tallies.counts[$0.studentNumber]?.errors ?? 0, tallies.counts[$0.studentNumber]?.warnings ?? 0) }
      .filter { $0.1 + $0.2 > 0 }
      .sorted { ($1.1, $1.2, $0.0.studentNumber) < ($0.1, $0.2, $1.0.studentNumber) }
      .prefix(10)
      .map { student, errors, warnings -> [String] in
        let link = noticeLinks[student.studentNumber].map { "<a href=\"\(HTML.escape($0))\">通知</a>" } ?? ""
        return [
          HTML.escape(student.studentNumber), HTML.escape(student.className ?? "—"), String(errors), String(warnings),
          link,
        ]
      }
  }

  /// The policy limit of a file for its item's kind (a multiple performance's when the item is unknown).
  func limit(_ file: FileRecord, items: ItemIndex) -> Int64? {
    let kind = items[ItemKey(studentNumber: file.studentNumber, itemId: file.itemId)]?.kind ?? .multiplePerformance
    return validation.table.policies.first { $0.id == file.policy }.map { $0.limit(role: file.role, kind: kind) }
  }

  func largestRows(_ tallies: Tallies) -> [[String]] {
    // The ten largest (ties by path) in one pass: each record is made once.
    var largest: [FileRecord] = []
    let before = { (a: FileRecord, b: FileRecord) in (b.bytes, a.path) < (a.bytes, b.path) }
    for file in validation.files where largest.count < 10 || before(file, largest[largest.count - 1]) {
      largest.insert(file, at: largest.firstIndex { before(file, $0) } ?? largest.count)
      if largest.count > 10 { largest.removeLast() }
    }
    return largest.map { file -> [String] in
      let limit = limit(file, items: tallies.items).map { ByteCount.text($0) } ?? ""
      return [HTML.escape(file.path), HTML.escape(file.mime), ByteCount.text(file.bytes), limit, file.verdict.rawValue]
    }
  }

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

  /// Writes report.html at `path`, a piece at a time (atomically, as every output).
  public func write(to path: String) throws {
    try AtomicFile.page(to: path) { try write($0) }
  }

  func write(_ page: PageSink) throws {
    let report = ValidationReport(validation)
    let summary = report.summary
    let tallies = Tallies(validation)
    let generated = PeopleDates.moment(date, in: validation.scan.timeZone)
    let school = validation.scan.school
    let ledgerBox =
      validation.ledgerNotes.isEmpty
      ? ""
      : "<div style=\"border: 2px solid #c33; border-radius: 6px; padding: .4rem 1rem; margin-top: 1rem\"><b>Ledger recovered 帳本已復原</b><ul>"
        + validation.ledgerNotes.map { "<li>\(HTML.escape($0))</li>" }.joined() + "</ul></div>\n"
    try page.append(
      """
      \(HTML.documentStart(title: "學習歷程檔案 檢查報告 — \(school?.schoolCode ?? "")"))
      \(Self.style)
      </head>
      <body>
      <h1>學習歷程檔案 檢查報告 Validation report</h1>
      <p class="meta">\(HTML.escape(school?.schoolCode ?? "")) \(HTML.escape(school?.schoolName ?? "")) · \(HTML.escape(generated)) · \(HTML.escape(report.generator)) · policy table \(HTML.escape(report.policyTable))</p>
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
    try writeFindingLists(page, tallies: tallies)
    try page.append(
      """

      <h2>各類型檔案大小與上限 Files by type and size against the limit</h2>
      \(sizeChart(items: tallies.items))
      <div class="grid">
      <section><h2>各問題數量 Findings by code</h2>\(table(["問題 finding", "嚴重度 severity", "數量 count"], codeRows(summary), numeric: [2]))</section>
      <section><h2>各班統計 By class</h2>\(table(["班級 class", "學生 students", "檔案 files", "退件檔案 rejected files", "錯誤 errors"], classRows(tallies), numeric: [1, 2, 3, 4]))</section>
      <section><h2>各學年度 By academic year</h2>\(table(["學年度 year", "作品 items", "通過 accepted", "退件 rejected"], yearRows(tallies), numeric: [1, 2, 3]))</section>
      </div>
      <h2>問題最多的學生 Students with most problems</h2>
      \(table(["學號 student", "班級 class", "錯誤 errors", "建議 warnings", "通知 notice"], problemRows(tallies), numeric: [2, 3]))
      <h2>最大的檔案 Largest files</h2>
      \(table(["檔案 file", "類型 type", "大小 size", "上限 limit", "結果 verdict"], largestRows(tallies)))
      <h2>學生通知 Student notices</h2>
      <ul class="notices">
      """)
    for (number, link) in noticeLinks.sorted(by: { $0.key < $1.key }) {
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
  func sizeChart(items: ItemIndex) -> String {
    let buckets = ["≤ 25 %", "≤ 50 %", "≤ 75 %", "≤ 100 %", "over"]
    let colors = ["#9cd3b0", "#5fb880", "#2a8a55", "#e0a030", "#c33"]
    var rows: [(String, [Int])] = []
    let types = ContentType.allCases.map(\.rawValue)
    var countsByType: [String: [Int]] = [:]
    var other = 0
    for file in validation.files {  // one pass: each record is made once
      guard types.contains(file.mime) else {
        other += 1
        continue
      }
      let policy = validation.table.policies.first { $0.id == file.policy } ?? validation.table.policies[0]
      let limit = Double(
        policy.limit(
          role: file.role,
          kind: items[ItemKey(studentNumber: file.studentNumber, itemId: file.itemId)]?.kind ?? .multiplePerformance))
      let ratio = Double(file.bytes) / max(limit, 1)
      let quarter = ratio > 1 ? 3 : max(0, (Int(exactly: (ratio * 4).rounded(.up)) ?? 4) - 1)
      countsByType[file.mime, default: [Int](repeating: 0, count: buckets.count)][ratio > 1 ? 4 : quarter] += 1
    }
    for type in types { rows.append((type, countsByType[type] ?? [Int](repeating: 0, count: buckets.count))) }
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
