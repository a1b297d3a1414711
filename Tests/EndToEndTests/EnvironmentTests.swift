import Foundation
import TestSupport
import Testing

/// A school's side broken as it really breaks: every case runs the built CLI and asserts the exit
/// status, the first line of the message, and that nothing outside the outputs changed — and for
/// a broken drop, that last night's outputs are byte for byte what they were.
@Suite(.serialized) struct EnvironmentTests {
  static let epoch = ["SOURCE_DATE_EPOCH": "1700000000"]
  let root = NSTemporaryDirectory() + "environment-\(UUID().uuidString)"
  var drop: String { root + "/drop" }
  var nightly: String { root + "/nightly" }

  /// A copy of the samples' drop and a good nightly run of it (last night's outputs).
  func lastNight() throws {
    try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: CLI.repository.path + "/samples/drop", toPath: drop)
    let run = try portfolio([
      "run", CLI.repository.path + "/pipelines/nightly.yml", "--drop", drop, "--output", nightly,
    ])
    #expect(run.status == 1, "the samples hold rejected files: \(run.stderr)")
    #expect(FileManager.default.fileExists(atPath: nightly + "/notices/110002.html"))
  }

  func portfolio(_ arguments: [String]) throws -> CLI.Outcome {
    try CLI.run(arguments, in: root, environment: Self.epoch)
  }

  /// Runs the nightly pipeline again over the broken drop: exit 64, `firstLine`, and the drop and
  /// last night's outputs (report, notices, ledger) untouched.
  func expectRefusedNightly(_ firstLine: String) throws {
    let outputs = TestDrop.listing(of: nightly)
    let dropBefore = TestDrop.listing(of: drop)
    let run = try portfolio([
      "run", CLI.repository.path + "/pipelines/nightly.yml", "--drop", drop, "--output", nightly,
    ])
    #expect(run.status == 64)
    #expect(run.stderr.split(separator: "\n").first.map(String.init) == firstLine, "\(run.stderr)")
    #expect(run.stderr.contains("Nothing was written: the outputs of earlier runs are unchanged."))
    #expect(run.stdout.isEmpty)
    #expect(TestDrop.listing(of: nightly) == outputs, "last night's outputs changed")
    #expect(TestDrop.listing(of: drop) == dropBefore, "the drop changed")
  }

  @Test func aBig5StudentsCSVStopsTheNightlyRunAndKeepsLastNightsNotices() throws {
    defer { try? FileManager.default.removeItem(atPath: root) }
    try lastNight()
    // What Excel's "CSV (逗號分隔)" writes on a Traditional Chinese Windows: Big5 (code page 950).
    let big5: [UInt8] =
      Array("studentNumber,idNumber,name,birthDate,enrollmentYear\n110001,A123456789,".utf8)
      + [0xA4, 0xFD, 0xA4, 0x70, 0xA9, 0xFA] + Array(",2007-05-14,112\n".utf8)
    try Data(big5).write(to: URL(fileURLWithPath: drop + "/students.csv"))
    try expectRefusedNightly(
      "portfolio run nightly: \(drop)/students.csv line 2: students.csv cannot be read: it is saved as Big5, not UTF-8. "
        + #"In Excel: File → Save As → "CSV UTF-8 (Comma delimited) (*.csv)", then run again. [table-encoding]"#)
  }

  @Test func aMissingSchoolJSONStopsTheNightlyRunAndKeepsLastNightsReport() throws {
    defer { try? FileManager.default.removeItem(atPath: root) }
    try lastNight()
    try FileManager.default.removeItem(atPath: drop + "/school.json")
    try expectRefusedNightly(
      "portfolio run nightly: \(drop)/school.json: school.json is missing: without it the school code, upload windows "
        + "and caps are unknown. Put the school's school.json into the drop directory (docs/drop-contract.md shows one) "
        + "and run again. [school-json-missing]")
    // package says the same, not an XSD message about schoolCode ''.
    let package = try portfolio(["package", drop, "--kind", "central", "--year", "112", "--out", root + "/p"])
    #expect(package.status == 64)
    #expect(package.stderr.hasPrefix("portfolio package: \(drop)/school.json: school.json is missing"))
    #expect(!FileManager.default.fileExists(atPath: root + "/p"), "nothing written, not even the folder")
  }

  /// Each broken drop, through `validate`: exit 64 and its first line; nothing written.
  @Test(
    arguments: [
      (
        "students.csv", "UTF-16",
        "students.csv line 1: students.csv cannot be read: it is saved as UTF-16 (little-endian), not UTF-8."
      ),
      ("students.csv", "header", "students.csv: students.csv has a header but no student rows."),
      (
        "students.csv", "",
        "students.csv line 1: students.csv cannot be used: the file is empty (not even a header row)."
      ),
      ("courses.csv", nil, "courses.csv: courses.csv is missing; the drop contract requires it."),
      ("cadres.csv", "Big5", "cadres.csv line 2: cadres.csv cannot be read: it is saved as Big5, not UTF-8."),
      ("school.json", "{", "school.json: school.json is not valid: "),
      ("uploads", nil, "uploads: the folder uploads/ is missing."),
    ] as [(String, String?, String)])
  func aBrokenDropIsAnEnvironmentError(file: String, content: String?, firstLine: String) throws {
    defer { try? FileManager.default.removeItem(atPath: root) }
    try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: CLI.repository.path + "/samples/drop", toPath: drop)
    let path = drop + "/" + file
    try? FileManager.default.removeItem(atPath: path)
    switch content {
    case nil: break
    case "UTF-16":
      let text = "studentNumber,idNumber,name,birthDate,enrollmentYear\n110001,A123456789,王小明,2007-05-14,112\n"
      try #require(text.data(using: .utf16)).write(to: URL(fileURLWithPath: path))
    case "header":
      try Data("studentNumber,idNumber,name,birthDate,enrollmentYear\r\n".utf8).write(to: URL(fileURLWithPath: path))
    case "Big5":
      let bytes =
        Array("studentNumber,academicYear,term,level,unit,title\n110001,112,1,1,".utf8) + [0xBE, 0xC7, 0xAE, 0xD5]
        + Array(",president\n".utf8)
      try Data(bytes).write(to: URL(fileURLWithPath: path))
    case let text?: try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }
    let before = TestDrop.listing(of: drop)
    let outcome = try portfolio(["validate", drop, "--out", root + "/out"])
    #expect(outcome.status == 64)
    #expect(outcome.stderr.hasPrefix("portfolio validate: \(drop)/\(firstLine)"), "\(outcome.stderr)")
    #expect(!FileManager.default.fileExists(atPath: root + "/out"))
    #expect(TestDrop.listing(of: drop) == before)
  }

  @Test func anEmptyFolderIsNoDrop() throws {
    defer { try? FileManager.default.removeItem(atPath: root) }
    try FileManager.default.createDirectory(atPath: root + "/empty", withIntermediateDirectories: true)
    let outcome = try portfolio(["validate", root + "/empty", "--out", root + "/out"])
    #expect(outcome.status == 64)
    #expect(outcome.stderr.hasPrefix("portfolio validate: \(root)/empty/school.json: school.json is missing"))
  }

  /// A Taiwanese Excel's date (2007/5/14) is read; a malformed one names the column, never the value.
  @Test func birthDatesAsExcelWritesThemAndMalformedOnesByTheirShape() throws {
    let drop = try TestDrop(
      students: "studentNumber,idNumber,name,birthDate,enrollmentYear\n110001,A123456789,王小明,2007/5/14,112\n"
        + "110002,B123456789,李小華,14.5.2007,112\n")
    defer { drop.remove() }
    let out = drop.root + "-out"
    defer { try? FileManager.default.removeItem(atPath: out) }
    let outcome = try CLI.run(["validate", drop.root, "--out", out])
    #expect(outcome.status == 1, "\(outcome.stderr)")
    let report = try String(contentsOfFile: out + "/report.json", encoding: .utf8)
    let json = try JSONSerialization.jsonObject(with: Data(report.utf8)) as? [String: Any]
    let findings = (json?["findings"] as? [[String: Any]]) ?? []
    let rows = findings.filter { $0["file"] as? String == "students.csv" }.compactMap { $0["message_en"] as? String }
    #expect(
      rows == [
        "students.csv row 3: birthDate \"##.#.####\" is not a date (2007-05-14, 2007/5/14 or 0960514); the row was skipped."
      ])
    #expect(!report.contains("14.5.2007"))
    #expect(!report.contains("students.csv row 2"), "row 2's 2007/5/14 is a date")
  }
}
