import Foundation
import TestSupport
import Testing

@testable import PortfolioCore

/// A run validated a few students at a time writes the bytes the whole run writes.
@Suite struct ValidationPartsTests {
  /// The generated school of the shard tests: every sample student several times over, plus a
  /// bad row in each table, a duplicated student, a folder that is no student number, a student
  /// missing from students.csv and an item still uploading.
  static let school: String = {
    let root = Scratch.path("parts-school")
    _ = try? SystemTool.run(
      "/usr/bin/python3",
      [TestDrop.repository.path + "/scripts/make-shard-corpus.py", "--out", root, "--students", "23"])
    return root + "/drop"
  }()

  /// Student numbers whose byte order and prefixes could mislead a range or a path prefix: one
  /// a prefix of others ("A", "A-1", "A1", "A_1"), "-" sorting before "/", leading zeros,
  /// lower case; a folder of a student the tables do not know between them, and one that is no
  /// student number.
  static let tricky: String = {
    let numbers = ["0", "00", "A", "A-1", "A1", "A_1", "B", "a1"]
    let rows = numbers.map { "\($0),A123456789,學生\($0),2007-05-14,112" }
    guard
      let drop = try? TestDrop(
        students: "studentNumber,idNumber,name,birthDate,enrollmentYear\n" + rows.joined(separator: "\n") + "\n")
    else { return "" }
    for number in numbers + ["A-0"] {
      try? drop.item(number, "mp-112-0001", files: ["報告.pdf"])
      try? drop.copyFixture("application_pdf--report.pdf", to: "uploads/\(number)/mp-112-0001/報告.pdf")
    }
    try? drop.write("uploads/bad name/x.txt", "x")
    return drop.root
  }()

  @Test func theRangesCoverEveryNumberOnce() {
    let ranges = StudentRange.groups(of: ["3", "1", "2", "5", "4", "2"], size: 2)
    #expect(ranges == [.init(lower: nil, upper: "3"), .init(lower: "3", upper: "5"), .init(lower: "5", upper: nil)])
    for number in ["", "0", "1", "2", "25", "3", "4", "5", "9", "A", "z"] {
      #expect(ranges.count { $0.contains(number) } == 1, "\(number)")
    }
    #expect(ranges.count { $0.holds(nil) } == 1)
    #expect(StudentRange.groups(of: [], size: 256) == [.init(lower: nil, upper: nil)])
  }

  /// The last part is kept short (its rules and writing overlap nothing): the rest of a last
  /// group over the limit goes into a part of its own before it, and the ranges still cover
  /// every number once.
  @Test(arguments: [(400, [256, 112, 32]), (300, [256, 12, 32]), (40, [8, 32]), (32, [32]), (20, [20]), (0, [0])])
  func theLastPartIsShort(students: Int, sizes: [Int]) throws {
    let numbers = (0..<students).map { String(format: "%06d", $0) }
    let groups = StudentRange.groups(ofSorted: numbers, size: 256, lastAtMost: 32)
    #expect(groups.map(\.numbers.count) == sizes)
    for number in numbers + ["", "999999", "A"] {
      #expect(groups.count { $0.range.contains(number) } == 1, "\(number)")
    }
    for group in groups { #expect(group.numbers.allSatisfy(group.range.contains)) }
    #expect(PartedValidation(validator: Validator(table: try PolicyTable.bundled()), size: 256).lastSize == 32)
  }

  @Test(arguments: [1, 2, 5, 256])
  func reportJSONAndRejectionsAreTheWholeRunsBytes(size: Int) throws {
    for drop in [TestDrop.samples, Self.school, Self.tricky] {
      let table = try PolicyTable.bundled()
      let validator = Validator(table: table, options: ValidationOptions(jobs: 2))
      let basics = try DropPreflight.check(drop)
      let whole = try validator.validate(try DropScanner().scan(drop, basics: basics))
      let expected = Scratch.path("whole")
      try FileManager.default.createDirectory(atPath: expected, withIntermediateDirectories: true)
      try ValidationReport(whole).write(to: expected)

      let streamed = Scratch.path("parts")
      try FileManager.default.createDirectory(atPath: streamed, withIntermediateDirectories: true)
      let stream = try ReportStream(
        folder: streamed, drop: drop, schoolCode: basics.school.schoolCode, table: table)
      let scanJSON = try ScanReportStream(
        path: streamed + "/scan.json", drop: drop, schoolCode: basics.school.schoolCode)
      var parts = 0
      let nothingRemembered = { (_: ArraySlice<String>) in ValidationMemory() }
      let count = try PartedValidation(validator: validator, size: size).run(
        drop: drop, basics: basics, memory: nothingRemembered
      ) { part, _ in
        parts += 1
        try stream.add(part)
        try scanJSON.add(part.scan)
      }
      let summary = try stream.finish(ledgerNotes: [])
      try scanJSON.finish()
      #expect(scanJSON.inventory == Inventory(whole.scan))
      #expect(
        try Data(contentsOf: URL(fileURLWithPath: streamed + "/scan.json")) == ScanReport(whole.scan).json() + [0x0A])
      #expect(parts == count)
      #expect(summary == ValidationReport(whole).summary)
      for name in ["report.json", "rejections.csv"] {
        let (want, got) = (
          try Data(contentsOf: URL(fileURLWithPath: expected + "/" + name)),
          try Data(contentsOf: URL(fileURLWithPath: streamed + "/" + name))
        )
        #expect(want == got, "\(name) of \(drop) in parts of \(size)")
      }
      // Nothing else is left in the output folder (the findings waited in a file without a name).
      #expect(
        try FileManager.default.contentsOfDirectory(atPath: streamed).sorted() == [
          "rejections.csv", "report.json", "scan.json",
        ])
    }
  }
}

/// The staff report, the notices and the ledger of a run fed a part at a time are the whole
/// run's.
@Suite struct PartOutputsTests {
  static let date = Date(timeIntervalSince1970: 1_700_000_000)

  static func bytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

  /// Every row of the ledger's tables, as text, in a stable order.
  static func rows(_ ledger: String) throws -> [String] {
    let dump = try SystemTool.run(
      "/usr/bin/sqlite3",
      [
        ledger,
        "SELECT * FROM file ORDER BY path; SELECT * FROM content ORDER BY sha256; "
          + "SELECT * FROM certified ORDER BY studentNumber, itemId, fileName; "
          + "SELECT finishedAt, files, filesRead, errors, warnings FROM run ORDER BY id;",
      ])
    #expect(dump.status == 0)
    return String(decoding: dump.output, as: UTF8.self).split(separator: "\n").map(String.init)
  }

  @Test(arguments: [1, 3, 256])
  func staffReportNoticesAndLedgerAreTheWholeRuns(size: Int) throws {
    for original in [TestDrop.samples, ValidationPartsTests.school, ValidationPartsTests.tricky] {
      let drop = Scratch.path("drop")
      try FileManager.default.copyItem(atPath: original, toPath: drop)
      let (whole, parted) = (Scratch.path("whole"), Scratch.path("parted"))
      for folder in [whole, parted] {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
      }
      // The first night, then the next after one upload changed (the ledger remembers the rest).
      let first = try Self.night(drop: drop, whole: whole, parted: parted, size: size)
      #expect(first.read == first.files && first.files >= 8)
      let changed = try #require(
        FileManager.default.subpaths(atPath: drop + "/uploads")?.sorted().first { $0.hasSuffix(".pdf") })
      let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: drop + "/uploads/" + changed))
      try handle.seekToEnd()
      try handle.write(contentsOf: Data("%% appended\n".utf8))
      try handle.close()
      let next = try Self.night(drop: drop, whole: whole, parted: parted, size: size)
      #expect(next.read == 1 && next.files == first.files)
    }
  }

  /// One night both ways — the whole validation with the writers of one part, and parts of
  /// `size` students — into their own folders (each with its ledger); checks that the two wrote
  /// the same report.html, notices and ledger rows; returns how many files were read, of all.
  static func night(drop: String, whole: String, parted: String, size: Int) throws -> (read: Int, files: Int) {
    let table = try PolicyTable.bundled()
    let validator = Validator(table: table, options: ValidationOptions(jobs: 2))
    let basics = try DropPreflight.check(drop)
    let ledger = try Ledger(path: whole + "/ledger.sqlite")
    var memory = try ledger.memory()
    let validation = try validator.validate(try DropScanner().scan(drop, basics: basics), memory: &memory)
    let written = try NoticeWriter(validation: validation, date: Self.date).write(into: whole + "/notices")
    try StaffReport(
      validation: validation, date: Self.date,
      noticeLinks: Dictionary(uniqueKeysWithValues: written.map { ($0, "notices/\($0).html") })
    ).write(to: whole + "/report.html")
    try ledger.record(validation, at: "2023-11-14T22:13:20Z", memory: memory)

    let notices = try NoticeParts(folder: parted + "/notices", date: Self.date)
    let report = try StaffReportParts(folder: parted, date: Self.date, table: table)
    var read = 0
    try Ledger(path: parted + "/ledger.sqlite").recording(at: "2023-11-14T22:13:20Z") { ledger in
      let memory = { [ledger] (students: ArraySlice<String>) in try ledger.memory(of: Array(students)) }
      try PartedValidation(validator: validator, size: size).run(drop: drop, basics: basics, memory: memory) {
        part, remembered in
        let students = try notices.add(part)
        try report.add(
          part, noticeLinks: Dictionary(uniqueKeysWithValues: students.map { ($0, "notices/\($0).html") }))
        try ledger.add(part, memory: remembered)
        read += part.filesRead
      }
    }
    #expect(try notices.finish() == written)
    try report.finish(to: parted + "/report.html", ledgerNotes: [], rosterLinks: [], sections: [])

    #expect(try Self.bytes(whole + "/report.html") == Self.bytes(parted + "/report.html"), "report.html, \(size)")
    let names = try FileManager.default.contentsOfDirectory(atPath: whole + "/notices").sorted()
    #expect(names.count == written.count * 2 + 1)  // and the list of what was written
    #expect(try FileManager.default.contentsOfDirectory(atPath: parted + "/notices").sorted() == names)
    for name in names {
      #expect(try Self.bytes(whole + "/notices/" + name) == Self.bytes(parted + "/notices/" + name), "\(name)")
    }
    let rows = try Self.rows(whole + "/ledger.sqlite")
    #expect(rows.count > validation.files.count)
    #expect(try Self.rows(parted + "/ledger.sqlite") == rows)
    // The spools had no name: the folder holds the outputs and nothing else.
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: parted).sorted() == [
        "ledger.sqlite", "notices", "report.html",
      ])
    #expect(read == validation.filesRead)
    return (read, validation.files.count)
  }
}

/// Which pipelines validate a part at a time: the nightly's stages (scan, validate, notices,
/// report, any but validate left out, in that order), sharded or not; nothing else.
@Suite struct PartedRunPlanTests {
  static func plan(_ names: [PipelineDefinition.StageName], shard: Shard? = nil) -> PartedOutputs? {
    var definition = PipelineDefinition(
      name: "t", drop: "d", output: "o", stages: names.map { .init(name: $0, options: [:]) })
    definition.shard = shard
    return PartedOutputs.plan(definition)
  }

  @Test func theNightlyAndItsSubsetsGoInParts() throws {
    let nightly = try #require(Self.plan([.scan, .validate, .notices, .report]))
    #expect(nightly.writesScan && nightly.writesNotices && nightly.writesReport)
    let bare = try #require(Self.plan([.validate]))
    #expect(!bare.writesScan && !bare.writesNotices && !bare.writesReport)
    let noNotices = try #require(Self.plan([.validate, .report]))
    #expect(!noNotices.writesNotices && noNotices.writesReport)
    // A shard's notices and staff report are the merge's.
    let shard = try #require(Self.plan([.scan, .validate, .notices, .report], shard: Shard(index: 1, count: 4)))
    #expect(shard.writesScan && !shard.writesNotices && !shard.writesReport)
  }

  @Test func pipelinesThatNeedTheWholeValidationDoNot() {
    #expect(Self.plan([.validate, .package]) == nil)
    #expect(Self.plan([.validate, .package, .roster, .report]) == nil)
    #expect(Self.plan([.validate, .export]) == nil)
    #expect(Self.plan([.importPackage, .validate, .report]) == nil)
    #expect(Self.plan([.scan]) == nil)  // nothing to validate
    #expect(Self.plan([.validate, .scan]) == nil)  // not the nightly's order
    #expect(Self.plan([.validate, .validate]) == nil)
  }
}
