import Foundation
import TestSupport
import Testing

@testable import PortfolioCore

/// report.json's records are made when read from what validation keeps of each file.
@Suite struct FileRecordsTests {
  @Test func recordsMadeOnDemandAreTheRecordsReportJSONHolds() throws {
    let validation = try Validator(table: try PolicyTable.bundled()).validate(TestDrop.samples)
    let made = Array(validation.files)
    #expect(made.count == 27)
    // Read twice, the same records; held whole, coded the same.
    #expect(Array(validation.files) == made)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    #expect(try encoder.encode(validation.files) == (try encoder.encode(FileRecords(made))))
    let decoded = try JSONDecoder().decode(FileRecords.self, from: try encoder.encode(validation.files))
    #expect(Array(decoded) == made)
    // Each record has its own file's verdict, codes and policy.
    #expect(made.count { $0.verdict == .rejected } == 19)
    let cut = try #require(made.first { $0.path == "uploads/110003/co-108-1-0006/統計圖.png" })
    #expect(cut.verdict == .rejected && cut.findings == ["cap-exceeded", "corrupt-file"])
    #expect(cut.policy == "tw-2019-108" && cut.mime == "image/png")
    let kept = try #require(made.first { $0.path == "uploads/110004/co-112-1-0003/訪談.png" })
    #expect(kept.findings == ["certifier-not-teacher"] && kept.policy == "tw-2020-109-1")
    // What the ledger records: the inspection behind each made record, none behind held ones.
    let first = try #require(validation.files.inspection(at: 0))
    #expect(validation.scan.items[Int(first.item)].files[Int(first.file)].relativePath == made[0].path)
    #expect(FileRecords(made).inspection(at: 0) == nil)
  }
}
