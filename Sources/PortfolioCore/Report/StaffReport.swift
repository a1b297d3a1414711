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

  /// Writes report.html at `path`, a piece at a time (atomically, as every output): the whole
  /// validation as the one part of a `StaffReportParts`.
  public func write(to path: String) throws {
    let parts = try StaffReportParts(
      folder: URL(fileURLWithPath: path).deletingLastPathComponent().path, date: date, table: validation.table)
    try parts.add(validation, noticeLinks: noticeLinks)
    try parts.finish(
      to: path, ledgerNotes: validation.ledgerNotes, rosterLinks: rosterLinks, sections: sections)
  }
}

/// The staff report of a run validated in parts (`PartedValidation`), or whole (one part): what
/// its tables need is counted as each part comes — counts by class, year, type and size, the
/// ten students with most problems, the ten largest files — and the rows of the finding lists
/// are written at once, in their HTML, to a file without a name in the output folder, copied
/// into report.html by `finish`. Nothing of a part is kept once it is counted.
final class StaffReportParts {
  let date: Date
  let table: PolicyTable
  private let spool: TextSpool
  var summary = ValidationReport.Summary.zero
  var school: SchoolSettings?
  var timeZone = SchoolSettings.defaultTimeZone
  /// Every notice linked, by student number.
  var noticeLinks: [(number: String, link: String)] = []

  /// A finding list (the school's, or a class's): its rows where the spool holds them.
  struct FindingList {
    var rows = 0
    var errors = 0
    var people = 0
    var places: [TextSpool.Place] = []
  }
  var schoolList = FindingList()
  var classLists: [String: FindingList] = [:]
  /// Per class: students, files, rejected files and errors (the "by class" table).
  var members: [String: (students: Int, errors: Int)] = [:]
  var classFiles: [String: (all: Int, rejected: Int)] = [:]
  /// Items and accepted items per academic year.
  var years: [Int: (items: Int, accepted: Int)] = [:]
  /// Files per type in each fifth of their limit, and over it; files of other types.
  var sizes: [String: [Int]] = [:]
  var otherTypes = 0
  /// The students with most errors, then warnings (ties by number): the first ten.
  var mostProblems: [(number: String, className: String?, errors: Int, warnings: Int)] = []
  /// The largest files (ties by path), their rows made while their item was known: the first ten.
  var largest: [(bytes: Int64, path: String, row: [String])] = []

  /// A report whose finding rows wait in a spool in `folder` (the report's own).
  init(folder: String, date: Date, table: PolicyTable) throws {
    (self.date, self.table) = (date, table)
    spool = try TextSpool(folder: folder)
  }

  /// Counts the next part in and writes its finding rows (parts come in student order);
  /// `noticeLinks` links the notices of its students.
  func add(_ part: Validation, noticeLinks: [String: String]) throws {
    summary.add(part)
    (school, timeZone) = (part.scan.school, part.scan.timeZone)  // the same in every part
    self.noticeLinks += noticeLinks.map { ($0.key, $0.value) }
    let page = StaffReportPart(part: part, noticeLinks: noticeLinks, table: table)
    try keep(page.schoolFindings(), page.schoolRow, in: &schoolList)
    for section in page.classSections() {
      try keep(section.positions, page.classRow, in: &classLists[section.name, default: FindingList()])
      classLists[section.name]?.errors += section.errors
      classLists[section.name]?.people += section.people
    }
    page.count(into: self)
  }

  /// Appends the rows (each `<tr>…</tr>`) of the findings at `positions` to a list, a line
  /// break before each but its first, made and spooled a thousand at a time (a whole school's
  /// rows are never in memory at once).
  private func keep(_ positions: [Int], _ row: (Int) -> String, in list: inout FindingList) throws {
    for start in stride(from: 0, to: positions.count, by: 1000) {
      var text = ""
      for position in positions[start..<min(start + 1000, positions.count)] {
        if list.rows > 0 { text += "\n" }
        text += row(position)
        list.rows += 1
      }
      list.places.append(try spool.keep(Array(text.utf8)))
    }
  }

  /// The rows of a list as they were kept.
  func writeRows(_ list: FindingList, to page: PageSink) throws {
    for place in list.places { try page.append(bytes: try spool.read(place).get()) }
  }

  /// Writes report.html at `path` (atomically).
  func finish(to path: String, ledgerNotes: [String], rosterLinks: [String], sections: [String]) throws {
    try AtomicFile.page(to: path) { page in
      try StaffReportPage(report: self, ledgerNotes: ledgerNotes, rosterLinks: rosterLinks, sections: sections)
        .write(page)
    }
  }
}
