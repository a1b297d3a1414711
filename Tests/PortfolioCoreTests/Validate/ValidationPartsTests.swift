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

  @Test func theRangesCoverEveryNumberOnce() {
    let ranges = StudentRange.groups(of: ["3", "1", "2", "5", "4", "2"], size: 2)
    #expect(ranges == [.init(lower: nil, upper: "3"), .init(lower: "3", upper: "5"), .init(lower: "5", upper: nil)])
    for number in ["", "0", "1", "2", "25", "3", "4", "5", "9", "A", "z"] {
      #expect(ranges.count { $0.contains(number) } == 1, "\(number)")
    }
    #expect(ranges.count { $0.holds(nil) } == 1)
    #expect(StudentRange.groups(of: [], size: 256) == [.init(lower: nil, upper: nil)])
  }

  @Test(arguments: [1, 2, 5, 256])
  func reportJSONAndRejectionsAreTheWholeRunsBytes(size: Int) throws {
    for drop in [TestDrop.samples, Self.school] {
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
      var memory = ValidationMemory()
      var parts = 0
      let count = try PartedValidation(validator: validator, size: size).run(
        drop: drop, basics: basics, memory: &memory
      ) { part in
        parts += 1
        try stream.add(part)
      }
      let summary = try stream.finish(ledgerNotes: [])
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
        try FileManager.default.contentsOfDirectory(atPath: streamed).sorted() == ["rejections.csv", "report.json"])
    }
  }
}
