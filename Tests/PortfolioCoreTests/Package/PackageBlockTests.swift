import Foundation
import TestSupport
import Testing

@testable import PortfolioCore

/// Who gets a package is decided by the typed block the rule put on its finding, and a finding
/// read back from a shard's result keeps it.
@Suite struct PackageBlockTests {
  @Test func blocksAreSetByTheRulesAndSurviveAReportRoundTrip() throws {
    let validation = try Validator(table: try PolicyTable.bundled()).validate(TestDrop.samples)
    let blocking = validation.findings.filter { $0.blocks != nil }
    #expect(blocking.map(\.code) == [.invalidIdNumber])
    #expect(blocking.first?.blocks == .identity && blocking.first?.studentNumber == "110004")
    let row = BadMetadata.studentName(file: "students.csv", row: 3, student: "110009", problem: "too many characters")
    // Eleven selected multiple performances of 112: over the limit of 10.
    let drop = try TestDrop()
    defer { drop.remove() }
    for index in 1...11 {
      try drop.copyFixture("image_png--diagram.png", to: "uploads/110001/mp-112-\(1000 + index)/a.png")
      try drop.item("110001", "mp-112-\(1000 + index)", files: ["a.png"], extra: #","selected":true"#)
    }
    let selection = try #require(
      try Validator(table: try PolicyTable.bundled()).validate(drop.root).findings.first {
        $0.code == .selectionOverLimit
      })
    for finding in [blocking[0], row, selection] {
      let decoded = try JSONDecoder().decode(Finding.self, from: JSONEncoder().encode(finding))
      #expect(decoded.blocks == finding.blocks && finding.blocks != nil, "\(finding.code)")
    }
    #expect(selection.blocks == .selection(academicYear: 112))
  }
}
