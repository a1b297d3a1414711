import Foundation

/// Which students a part of a run holds: those whose number is at least `lower` (none for the
/// first part) and below `upper` (none for the last). The first part also holds the findings
/// on no student (school.json, a table's header, a folder name that is no student number).
struct StudentRange: Sendable, Equatable {
  let lower: String?
  let upper: String?

  func contains(_ number: String) -> Bool {
    if let lower, number < lower { return false }
    if let upper, number >= upper { return false }
    return true
  }

  /// Whether a finding on `number` (`nil`: on no student) belongs to this part.
  func holds(_ number: String?) -> Bool {
    guard let number else { return lower == nil }
    return contains(number)
  }

  /// `count` students at a time, in student-number order, over every number given: together
  /// the ranges cover every possible number exactly once.
  static func groups(of numbers: [String], size: Int) -> [StudentRange] {
    groups(ofSorted: Array(Set(numbers)).sorted(), size: size).map(\.range)
  }

  /// The ranges of `groups(of:size:)` with the numbers (sorted, each once) each one holds.
  /// `lastAtMost`: the last group holds at most this many (the rest of it goes into a group of
  /// its own before it).
  static func groups(ofSorted sorted: [String], size: Int, lastAtMost: Int? = nil) -> [(
    range: StudentRange, numbers: ArraySlice<String>
  )] {
    let size = max(1, size)
    var starts = Array(stride(from: 0, to: max(sorted.count, 1), by: size))
    if let lastAtMost, let last = starts.last, sorted.count - last > max(1, lastAtMost) {
      starts.append(sorted.count - max(1, lastAtMost))
    }
    return starts.enumerated().map { index, start in
      let end = index + 1 < starts.count ? starts[index + 1] : sorted.count
      let range = StudentRange(
        lower: index == 0 ? nil : sorted[start], upper: index + 1 < starts.count ? sorted[end] : nil)
      return (range, sorted[start..<end])
    }
  }
}

extension DropScan {
  /// The part of a scan that holds the students of `range`: their table rows and the findings
  /// on them; items and pending items are scanned into it afterwards.
  func part(_ range: StudentRange) -> DropScan {
    var part = DropScan(
      drop: drop, school: school, roster: Roster(), items: [], pendingItems: [],
      findings: findings.filter { range.holds($0.studentNumber) })
    part.roster.hasStudentList = roster.hasStudentList
    part.roster.students = roster.students.filter { range.contains($0.key) }
    part.roster.courses = roster.courses.filter { range.contains($0.studentNumber) }
    part.roster.cadres = roster.cadres.filter { range.contains($0.studentNumber) }
    (part.windows, part.timeZone) = (windows, timeZone)
    return part
  }
}

/// A school validated a group of students at a time: the scan, inspection and rules of one
/// group, handed on, then let go before the next. What one group's validation holds is what a
/// run over those students alone would hold; the parts in order are the whole run's results
/// (its files and findings in report order, its counts summed).
struct PartedValidation {
  let validator: Validator
  /// Students per part.
  let size: Int
  /// Only the students of this shard (`nil`: every student).
  var shard: Shard? = nil

  /// How many students each part holds by default: a few hundred (memory per part about 3 MB).
  static let defaultSize = 256

  /// The last part holds at most this share of a part (one eighth): its rules and writing are
  /// what is left to do once the workers have inspected every file, with nothing to overlap.
  var lastSize: Int { max(1, size / 8) }

  /// Validates `drop` (with what its preflight read) part by part, each with what `memory`
  /// remembers of its students; each part goes to `take` with that memory as soon as it is
  /// judged. Returns how many parts there were. `progress` counts students.
  @discardableResult
  func run(
    drop: String, basics: DropBasics, progress: ProgressMeter? = nil,
    memory: (_ students: ArraySlice<String>) throws -> ValidationMemory,
    _ take: (Validation, ValidationMemory) throws -> Void
  ) throws -> Int {
    let scanner = DropScanner(jobs: validator.options.jobs, shard: shard)
    var options = validator.options
    options.leases = InspectorLeases()  // one set of workers for every part, ended after the last
    let validator = Validator(table: validator.table, options: options)
    var whole = DropScan(
      drop: drop, school: basics.school, roster: basics.roster, items: [], pendingItems: [],
      findings: basics.findings)
    (whole.timeZone, whole.windows) = (basics.timeZone, basics.windows)
    if let shard { whole.keepOnly(shard) }  // its students' rows and findings, and the drop's own
    let folders = scanner.studentFolders(&whole)
    let numbers = Array(Set(folders.map(\.number)).union(whole.roster.students.keys)).sorted()
    let groups = StudentRange.groups(ofSorted: numbers, size: size, lastAtMost: lastSize)
    progress?.start(files: numbers.count, bytes: 0)
    // The next part is scanned, inspected and judged while the one before is written.
    try PartOverlap.run(
      count: groups.count, prepare: { index in try memory(groups[index].numbers) },
      produce: { [whole] index, remembered in
        let range = groups[index].range
        var part = whole.part(range)
        scanner.scanStudents(folders.filter { range.contains($0.number) }[...], into: &part)
        part.findings.sort(by: Finding.reportOrder)
        var remembered = remembered
        let validation = try validator.validate(part, memory: &remembered, forgetting: false)
        return (validation, remembered)
      },
      consume: { index, made in
        try take(made.0, made.1)
        for _ in groups[index].numbers { progress?.advance(bytes: 0) }
      })
    progress?.finish()
    return groups.count
  }
}

extension Validator {
  /// `portfolio validate`: validates `drop` (with what its preflight read) a part at a time and
  /// writes report.json and rejections.csv into `output` as the parts come (no ledger, no other
  /// output); returns report.json's counts. The findings' words wait in the output folder's
  /// spool, as in a pipeline run.
  public func writeReports(drop: String, basics: DropBasics, into output: String, progress: ProgressMeter? = nil)
    throws -> ValidationReport.Summary
  {
    var options = options
    options.spool = try? TextSpool(folder: output)
    let reports = try ReportStream(
      folder: output, drop: drop, schoolCode: basics.school.schoolCode, table: table)
    let nothingRemembered = { (_: ArraySlice<String>) in ValidationMemory() }
    try PartedValidation(validator: Validator(table: table, options: options), size: PartedValidation.defaultSize)
      .run(drop: drop, basics: basics, progress: progress, memory: nothingRemembered) { part, _ in
        try reports.add(part)
      }
    return try reports.finish(ledgerNotes: [])
  }
}
