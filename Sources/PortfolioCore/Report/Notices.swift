import Foundation

/// One student's notice (通知) in plain Traditional Chinese: each problem, why, what to do,
/// and by when. Errors are "to do"; warnings are advice; problems that can no longer be fixed
/// (the upload window closed, the student graduated) are said as such; what the school's own
/// server could not read is the school's to fix, not the student's.
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

  /// item.json of every usable item.
  let items: ItemIndex

  public init(validation: Validation, date: Date) {
    self.validation = validation
    self.date = date
    items = ItemIndex(validation.scan.items)
  }

  var timeZone: TimeZone {
    validation.scan.timeZone  // parsed once, from school.json, by the scan (or the merge)
  }

  /// The academic year (民國) the run's date falls in: a year runs from 1 August.
  var currentAcademicYear: Int {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = timeZone
    let parts = calendar.dateComponents([.year, .month], from: date)
    let year = parts.year ?? 2000
    return (parts.month ?? 1) >= 8 ? year - 1911 : year - 1912
  }

  /// A notice for every known student with at least one finding, by student number.
  public func notices() -> [StudentNotice] {
    let byStudent = findingsByStudent()
    return studentsWithNotices(byStudent).map { notice($0, findings(byStudent[$0.studentNumber])) }
  }

  /// The positions of each student's findings (the findings themselves are not copied).
  func findingsByStudent() -> [String: [Int]] {
    var positions: [String: [Int]] = [:]
    for (index, finding) in validation.findings.enumerated() {
      if let number = finding.studentNumber { positions[number, default: []].append(index) }
    }
    return positions
  }

  func findings(_ positions: [Int]?) -> [Finding] { (positions ?? []).map { validation.findings[$0] } }

  func studentsWithNotices(_ byStudent: [String: [Int]]) -> [Student] {
    validation.scan.roster.students.values.sorted { $0.studentNumber < $1.studentNumber }.filter { student in
      byStudent[student.studentNumber] != nil
    }
  }

  /// Writes `<folder>/{studentNumber}.txt` and `.html` for each notice, a few hundred students
  /// at a time (a school's notices are never all in memory); returns the students written.
  @discardableResult
  public func write(into folder: String) throws -> [String] {
    let parts = try NoticeParts(folder: folder, date: date)
    try parts.add(validation)
    return try parts.finish()
  }

  /// Writes the notices of this validation into `batch` (under temporary names); returns the
  /// students written.
  func write(into batch: AtomicFile.Batch) throws(SystemError) -> [String] {
    let byStudent = findingsByStudent()
    let students = studentsWithNotices(byStudent)
    for start in stride(from: 0, to: students.count, by: Self.batch) {
      let group = students[start..<min(start + Self.batch, students.count)]
      try batch.emit(
        group.flatMap { student in
          let notice = notice(student, findings(byStudent[student.studentNumber]))
          return [
            ("\(notice.studentNumber).txt", Array(notice.text.utf8)),
            ("\(notice.studentNumber).html", Array(notice.html.utf8)),
          ]
        })
    }
    return students.map(\.studentNumber)
  }

  /// How many students' notices are made and written at a time.
  static let batch = 64

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

  /// One problem as the student reads it: the item by its kind and title, the file by its
  /// name, the message, and by when it must be done (when a window is open).
  struct Entry {
    let heading: String
    let file: String?
    let message: String
    var due: String? = nil
  }

  /// What one notice says, before it is written as text or HTML.
  struct Content {
    let school: String?
    let student: Student
    let classText: String
    let checkedOn: String
    /// Errors the student can still fix.
    let todo: [Entry]
    /// Errors and advice on what can no longer be changed.
    let closed: [Entry]
    let advice: [Entry]
    /// Some of the student's uploads could not be read by the school's server.
    let notChecked: Bool
    let graduated: Bool
    let deadlines: [String]
  }

  func notice(_ student: Student, _ findings: [Finding]) -> StudentNotice {
    let graduated = student.lastAcademicYear < currentAcademicYear
    let shown = findings.filter { $0.code != .unreadable }
    let isClosed = { (finding: Finding) in graduated || closedItem(finding, of: student) }
    let open = shown.filter { !isClosed($0) }
    let content = Content(
      school: validation.scan.school?.schoolName, student: student,
      classText: student.className.map { "\($0) 班 " } ?? "", checkedOn: PeopleDates.day(date, in: timeZone),
      todo: open.filter { $0.severity == .error }.map { entry($0, of: student, due: true) },
      closed: shown.filter(isClosed).map { entry($0, of: student, due: false) },
      advice: open.filter { $0.severity == .warning }.map { entry($0, of: student, due: false) },
      notChecked: findings.contains { $0.code == .unreadable }, graduated: graduated,
      deadlines: graduated ? [] : deadlineLines(for: open.filter { $0.severity == .error }, student: student))
    return StudentNotice(studentNumber: student.studentNumber, text: text(content), html: html(content))
  }

  /// The windows that apply to the item of `finding` (none for a finding on no item).
  func windows(of finding: Finding, student: Student) -> [UploadWindowDates] {
    guard let id = finding.itemId, let item = items[ItemKey(studentNumber: student.studentNumber, itemId: id)]
    else { return [] }
    return validation.scan.windows.filter {
      $0.applies(kind: item.kind, academicYear: item.academicYear, term: item.term)
    }
  }

  /// Whether the finding's item can no longer be changed: every window for it closed before
  /// the run. Without a window for it the school has not said, and nothing is assumed.
  func closedItem(_ finding: Finding, of student: Student) -> Bool {
    let applying = windows(of: finding, student: student)
    return !applying.isEmpty && applying.allSatisfy { window in window.closes.map { $0 < date } ?? false }
  }

  func entry(_ finding: Finding, of student: Student, due: Bool) -> Entry {
    let key = finding.itemId.map { ItemKey(studentNumber: student.studentNumber, itemId: $0) }
    let heading: String
    if let key, let item = items[key] {
      let term = item.term.map { "第 \($0) 學期" } ?? ""
      let title = item.title.map { "「\($0)」" } ?? "（沒有標題）"
      heading = "\(item.kind.zh)\(title)（\(item.academicYear) 學年度\(term)）"
    } else if finding.itemId != nil {
      heading = Self.unnamedItem(finding.details)
    } else {
      heading = "你的基本資料"
    }
    let file = finding.file.flatMap { path -> String? in
      guard path.hasPrefix("uploads/"), !path.hasSuffix("/item.json"), finding.itemId != nil else { return nil }
      return String(path.split(separator: "/").last ?? "")
    }
    var entry = Entry(heading: heading, file: file, message: finding.messageZH)
    // A late upload's problem is the deadline itself: no "do it by" line under it.
    if due, finding.code != .outsideWindow,
      let closes = windows(of: finding, student: student).compactMap(\.closes).filter({ $0 >= date }).max()
    {
      entry.due = "請在\(PeopleDates.moment(closes, in: timeZone)) 前處理。"
    }
    return entry
  }

  /// An item whose item.json could not be used, named by what the student can recognise.
  static func unnamedItem(_ details: [String: String]) -> String {
    if let title = details["title"] { return "標題為「\(title)」的上傳" }
    if let files = details["files"] { return "含有檔案「\(files)」的上傳" }
    return "一筆無法辨識的上傳"
  }

  /// The school's open windows for the years and kinds of the items with problems to fix.
  func deadlineLines(for findings: [Finding], student: Student) -> [String] {
    var seen = Set<String>()
    var lines: [String] = []
    for window in findings.flatMap({ windows(of: $0, student: student) }) {
      guard let closes = window.closes, closes >= date else { continue }
      let term = window.window.term.map { "第 \($0) 學期" } ?? ""
      let line =
        "\(window.window.academicYear) 學年度\(term)\(window.window.kind.zh)：\(PeopleDates.moment(closes, in: timeZone)) 截止"
      if seen.insert(line).inserted { lines.append(line) }
    }
    return lines
  }
}

/// The notices of a run validated in parts (or whole: one part): each part's notices written as
/// it comes, all renamed into place by `finish`, which also writes the stage's list of what it
/// wrote and removes the notices it wrote last time that no student needs any more.
final class NoticeParts {
  let folder: String
  let date: Date
  private let batch: AtomicFile.Batch
  private var written: [String] = []

  init(folder: String, date: Date) throws(SystemError) {
    try AtomicFile.makeFolder(folder)
    (self.folder, self.date) = (folder, date)
    batch = AtomicFile.Batch(folder: folder)
  }

  /// Writes the notices of the next part's students (parts come in student order); returns
  /// the students written.
  @discardableResult
  func add(_ part: Validation) throws(SystemError) -> [String] {
    let students = try NoticeWriter(validation: part, date: date).write(into: batch)
    written += students
    return students
  }

  /// Renames every notice into place; returns the students written.
  func finish() throws(SystemError) -> [String] {
    // What this stage wrote last time (its manifest) is the only thing it may remove: a notice
    // of a student who has fixed everything goes, anything else in the folder stays.
    let manifestPath = folder + "/" + NoticeWriter.manifestName
    let previous = NoticeWriter.writtenNames(manifestPath)
    try batch.commit()
    let current = written.flatMap { ["\($0).txt", "\($0).html"] }
    try AtomicFile.write(Array((current.joined(separator: "\n") + "\n").utf8), to: manifestPath)
    for name in previous.subtracting(current) where NoticeWriter.isNoticeName(name) {
      unlink(folder + "/" + name)
    }
    return written
  }
}
