import Foundation

/// One student's notice (通知) in plain Traditional Chinese: each problem, why, what to do,
/// and the school's deadlines. Errors are "to do"; warnings are advice.
public struct StudentNotice: Sendable {
  public var studentNumber: String
  public var text: String
  public var html: String
}

/// Writes the notices of a validation run.
public struct NoticeWriter {
  public let validation: Validation
  /// The run's date (SOURCE_DATE_EPOCH makes it reproducible).
  public let date: Date

  /// item.json of every usable item, by "student/item".
  let items: [String: ItemManifest]

  public init(validation: Validation, date: Date) {
    self.validation = validation
    self.date = date
    items = Dictionary(
      validation.scan.items.compactMap { item in item.manifest.map { ("\(item.studentNumber)/\($0.itemId)", $0) } },
      uniquingKeysWith: { a, _ in a })
  }

  var timeZone: TimeZone {
    validation.scan.school?.timeZone.flatMap(TimeZone.init(identifier:)) ?? SchoolSettings.defaultTimeZone
  }

  func day(_ date: Date) -> String {
    SchoolClock.day(date, in: timeZone)
  }

  static func kindName(_ kind: ItemKind) -> String {
    switch kind {
    case .courseOutcome: "課程學習成果"
    case .multiplePerformance: "多元表現"
    case .consultation: "課程諮詢紀錄"
    }
  }

  /// A notice for every known student with at least one finding, by student number.
  public func notices() -> [StudentNotice] {
    let byStudent = Dictionary(
      grouping: validation.findings.filter { $0.studentNumber != nil }, by: { $0.studentNumber ?? "" })
    return validation.scan.roster.students.values.sorted { $0.studentNumber < $1.studentNumber }.compactMap { student in
      guard let findings = byStudent[student.studentNumber], !findings.isEmpty else { return nil }
      return notice(student, findings)
    }
  }

  /// Writes `<folder>/{studentNumber}.txt` and `.html` for each notice; returns them.
  @discardableResult
  public func write(into folder: String) throws -> [StudentNotice] {
    try AtomicFile.makeFolder(folder)
    let all = notices()
    let files = all.flatMap {
      [("\($0.studentNumber).txt", Array($0.text.utf8)), ("\($0.studentNumber).html", Array($0.html.utf8))]
    }
    // What this stage wrote last time (its manifest) is the only thing it may remove: a notice
    // of a student who has fixed everything goes, anything else in the folder stays.
    let manifestPath = folder + "/" + Self.manifestName
    let previous = Self.writtenNames(manifestPath)
    let current = files.map(\.0)
    try AtomicFile.writeAll(files, in: folder)
    try AtomicFile.write(Array((current.joined(separator: "\n") + "\n").utf8), to: manifestPath)
    for name in previous.subtracting(current) where Self.isNoticeName(name) {
      unlink(folder + "/" + name)
    }
    return all
  }

  /// The list of the notices the stage wrote, one name a line (hidden, in the notices folder).
  static let manifestName = ".notices-written"

  /// The names a notices manifest lists (empty when there is none).
  static func writtenNames(_ path: String) -> Set<String> {
    guard case .success(let bytes) = FileSystem.readSmallFile(path, maxBytes: 16 << 20) else { return [] }
    return Set(String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init))
  }

  /// `{studentNumber}.txt` or `.html`: the only names the stage ever removes.
  static func isNoticeName(_ name: String) -> Bool {
    for suffix in [".txt", ".html"] where name.hasSuffix(suffix) {
      return Identifiers.isStudentNumber(String(name.dropLast(suffix.count)))
    }
    return false
  }

  struct Entry {
    let heading: String
    let file: String?
    let message: String
  }

  func notice(_ student: Student, _ findings: [Finding]) -> StudentNotice {
    let content = Content(
      student: student, classText: student.className.map { "\($0) 班 " } ?? "",
      errors: findings.filter { $0.severity == .error }.map { entry($0, of: student) },
      advice: findings.filter { $0.severity == .warning }.map { entry($0, of: student) },
      deadlines: deadlineLines(for: findings, items: items, student: student))
    return StudentNotice(studentNumber: student.studentNumber, text: text(content), html: html(content))
  }

  /// What one notice says, before it is written as text or HTML.
  struct Content {
    let student: Student
    let classText: String
    let errors: [Entry]
    let advice: [Entry]
    let deadlines: [String]
  }

  func entry(_ finding: Finding, of student: Student) -> Entry {
    let item = finding.itemId.flatMap { items["\(student.studentNumber)/\($0)"] }
    let heading: String
    if let item {
      heading = "\(Self.kindName(item.kind))「\(item.title ?? item.itemId)」（\(item.academicYear) 學年度）"
    } else if let itemId = finding.itemId {
      heading = "作品 \(itemId)"
    } else {
      heading = "你的基本資料"
    }
    let file = finding.file.flatMap { path -> String? in
      guard path.hasPrefix("uploads/"), !path.hasSuffix("/item.json") else { return nil }
      return String(path.split(separator: "/").last ?? "")
    }
    return Entry(heading: heading, file: file, message: finding.messageZH)
  }

  func text(_ content: Content) -> String {
    let (student, classText, errors, advice, deadlines) = (
      content.student, content.classText, content.errors, content.advice, content.deadlines
    )
    var text: [String] = []
    text.append("學習歷程檔案 上傳檢查通知")
    text.append("")
    text.append("\(classText)學號 \(student.studentNumber) \(student.name) 同學你好：")
    text.append("學校在 \(day(date)) 檢查了你上傳的學習歷程檔案，結果如下。")
    func textSection(_ title: String, _ entries: [Entry]) {
      guard !entries.isEmpty else { return }
      text.append("")
      text.append(title)
      for (index, item) in entries.enumerated() {
        text.append("\(index + 1). \(item.heading)")
        if let file = item.file { text.append("   檔案：\(file)") }
        text.append("   \(item.message)")
      }
    }
    textSection("■ 需要你處理（\(errors.count) 項）— 沒有處理的檔案或作品不會被送出", errors)
    textSection("■ 建議（不影響送出）", advice)
    if !deadlines.isEmpty {
      text.append("")
      text.append("■ 上傳期限")
      for line in deadlines { text.append("・\(line)") }
      text.append("逾時將無法補件，請儘早處理。")
    }
    text.append("")
    text.append("有問題請洽學校資訊組或導師。")

    return text.joined(separator: "\n") + "\n"
  }

  func html(_ content: Content) -> String {
    let (student, classText, errors, advice, deadlines) = (
      content.student, content.classText, content.errors, content.advice, content.deadlines
    )
    func section(_ title: String, _ entries: [Entry], _ css: String) -> String {
      guard !entries.isEmpty else { return "" }
      let list = entries.map { item in
        "<li><p class=\"heading\">\(HTML.escape(item.heading))</p>"
          + (item.file.map { "<p class=\"file\">檔案：\(HTML.escape($0))</p>" } ?? "")
          + "<p>\(HTML.escape(item.message))</p></li>"
      }.joined(separator: "\n")
      return "<section class=\"\(css)\"><h2>\(title)</h2><ol>\n\(list)\n</ol></section>"
    }
    let deadlineHTML =
      deadlines.isEmpty
      ? ""
      : """
      <section class="deadline"><h2>上傳期限</h2><ul>\(deadlines.map { "<li>\(HTML.escape($0))</li>" }.joined())</ul>
      <p>逾時將無法補件，請儘早處理。</p></section>
      """
    return """
      <!DOCTYPE html>
      <html lang="zh-Hant">
      <head>
      <meta charset="utf-8">
      <meta name="viewport" content="width=device-width, initial-scale=1">
      <title>學習歷程檔案 上傳檢查通知 — \(HTML.escape(student.studentNumber))</title>
      <style>
      body { font-family: "Noto Sans CJK TC", "Noto Sans TC", "Microsoft JhengHei", sans-serif; max-width: 42rem; margin: 1.5rem auto; padding: 0 1rem; line-height: 1.7; color: #222; }
      h1 { font-size: 1.4rem; border-bottom: 3px solid #2a6; padding-bottom: .3rem; }
      h2 { font-size: 1.1rem; margin-top: 1.4rem; }
      .todo h2 { color: #b22; } .advice h2 { color: #666; } .deadline h2 { color: #a60; }
      li { margin-bottom: .8rem; } li p { margin: .1rem 0; } .heading { font-weight: bold; } .file { color: #555; }
      footer { margin-top: 2rem; color: #555; font-size: .9rem; }
      @media print { body { margin: 0; max-width: none; } a { color: inherit; } }
      </style>
      </head>
      <body>
      <h1>學習歷程檔案 上傳檢查通知</h1>
      <p>\(HTML.escape(classText))學號 \(HTML.escape(student.studentNumber)) \(HTML.escape(student.name)) 同學你好：</p>
      <p>學校在 \(day(date)) 檢查了你上傳的學習歷程檔案，結果如下。</p>
      \(section("需要你處理（\(errors.count) 項）— 沒有處理的檔案或作品不會被送出", errors, "todo"))
      \(section("建議（不影響送出）", advice, "advice"))
      \(deadlineHTML)
      <footer>有問題請洽學校資訊組或導師。</footer>
      </body>
      </html>

      """
  }

  /// The school's windows for the years and kinds of the student's items with findings.
  func deadlineLines(for findings: [Finding], items: [String: ItemManifest], student: Student) -> [String] {
    guard let windows = validation.scan.school?.windows, !windows.isEmpty else { return [] }
    var wanted = Set<String>()
    for finding in findings {
      guard let id = finding.itemId, let item = items["\(student.studentNumber)/\(id)"] else { continue }
      wanted.insert("\(item.academicYear)/\(item.kind.rawValue)")
    }
    return windows.filter { wanted.contains("\($0.academicYear)/\($0.kind.rawValue)") }.map { window in
      let term = window.term.map { "第 \($0) 學期 " } ?? ""
      let closes = Timestamps.parse(window.closes, timeZone: timeZone)
      let closed = closes.map { $0 < date } ?? false
      let when = window.closes.replacingOccurrences(of: "T", with: " ").prefix(16)
      return "\(window.academicYear) 學年度\(term)\(Self.kindName(window.kind))：\(when) 截止" + (closed ? "（已截止）" : "")
    }
  }
}
