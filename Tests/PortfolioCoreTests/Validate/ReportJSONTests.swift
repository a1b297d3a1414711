import Foundation
import TestSupport
import Testing

@testable import PortfolioCore

/// report.json is written directly (`PrettyJSON`), and must be exactly what `JSONEncoder`
/// writes: the samples, and records and findings full of what breaks JSON writers — quotes,
/// backslashes, slashes, control characters, non-BMP characters, keys in every byte order,
/// doubles large, small and negative, absent optionals.
@Suite struct ReportJSONTests {
  @Test func theSamplesReportEqualsJSONEncoders() throws {
    let validation = try Validator(table: try PolicyTable.bundled()).validate(TestDrop.samples)
    let report = ValidationReport(validation)
    #expect(report.files.count > 20 && report.findings.count > 20)
    #expect(try report.json() == (try report.jsonThroughEncoder()))
  }

  static let nasty = [
    "", "plain", "a\"b", "back\\slash", "a/b", "tab\there", "line\nbreak\r\n", "\u{0}\u{1}\u{1F}\u{7F}",
    "\u{8}\u{C}", "林𠀋華", "é", "\u{2028}\u{2029}", "emoji 👩‍💻", "=cmd|' /C calc'!A0",
  ]

  @Test func nastyValuesEqualJSONEncoders() throws {
    var report = ValidationReport(try Validator(table: try PolicyTable.bundled()).validate(TestDrop.samples))
    let doubles: [Double?] = [nil, 0, -0.0, 2, 2.064, 0.001, 1e-05, 12.5, 1e16, 1e21, 123456789.123, 1e300, -3.5]
    report.files = FileRecords(
      Self.nasty.enumerated().map { index, text in
        FileRecord(
          path: text, studentNumber: text, itemId: text, originalName: text, role: index % 2 == 0 ? .document : .media,
          mime: text, bytes: Int64(index) * 1_000_000_007 - 3, sha256: text, md5: index % 3 == 0 ? nil : text,
          verdict: index % 2 == 0 ? .accepted : .rejected, policy: text, pages: index % 4 == 0 ? nil : index,
          width: index % 5 == 0 ? nil : -index, height: index % 3 == 1 ? nil : Int.max - index,
          durationSeconds: doubles[index % doubles.count], findings: index % 2 == 0 ? [] : [text, "b", "A"])
      })
    let keys = ["A", "B", "Z", "_x", "a", "a-b", "a1", "a10", "a2", "a_b", "aa", "é", "field"]
    report.findings = Self.nasty.map { text in
      BadMetadata.itemJSON(
        FindingPlace(studentNumber: text.isEmpty ? nil : text, itemId: text, file: text), field: text, problem: text,
        recognisedBy: Dictionary(uniqueKeysWithValues: keys.map { ($0, text) }))
    }
    report.summary.findingsByCode = Dictionary(uniqueKeysWithValues: keys.enumerated().map { ($1, $0) })
    report.ledger = Self.nasty
    report.schoolCode = nil
    #expect(try report.json() == (try report.jsonThroughEncoder()))
    report.findings = []
    report.files = []
    report.summary.findingsByCode = [:]
    report.ledger = []
    #expect(try report.json() == (try report.jsonThroughEncoder()))
  }

  /// The streamed writers (report.json a megabyte at a time, rejections.csv 4,096 rows at a
  /// time) write exactly the bytes of the in-memory ones, across many chunk boundaries.
  @Test func theStreamedFilesEqualTheWholeOnes() throws {
    var report = ValidationReport(try Validator(table: try PolicyTable.bundled()).validate(TestDrop.samples))
    let findings = report.findings
    let files = report.files
    report.findings = (0..<400).flatMap { _ in findings }
    report.files = FileRecords((0..<300).flatMap { _ in files })
    #expect(report.findings.count > 3 * 4096)
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("streamed-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    try report.write(to: folder)
    let json = Array(try Data(contentsOf: URL(fileURLWithPath: folder + "/report.json")))
    #expect(json.count > 3 * PrettyJSON.spillAt)
    #expect(json == (try report.json()))
    #expect(
      Array(try Data(contentsOf: URL(fileURLWithPath: folder + "/rejections.csv"))) == (try report.rejectionsCSV()))
    for count in [4096, 1, 0] {
      report.findings = Array(report.findings.prefix(count))
      try report.write(to: folder)
      #expect(
        Array(try Data(contentsOf: URL(fileURLWithPath: folder + "/rejections.csv"))) == (try report.rejectionsCSV()))
    }
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == ["rejections.csv", "report.json"])
  }
}
