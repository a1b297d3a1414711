import Foundation
import PortfolioCore
import TestSupport
import Testing

/// Findings carry their evidence, and `check` reaches the same rules as `validate`.
@Suite struct EvidenceAndSharedRuleTests {
  @Test func aRefusedTypeSaysWhatLibmagicSawAndWhatTheNameClaimed() throws {
    let drop = try TestDrop()
    defer { drop.remove() }
    try item(drop, file: "photo.jpg", data: try fixtureBytes("image_heic--iphone-photo.heic"))
    let finding = try #require(try validate(drop).findings.first { $0.code == .formatNotAllowed })
    #expect(
      finding.evidence == Evidence(observed: "libmagic: image/heic", expected: "name says .jpg", source: "libmagic"))
  }

  @Test func tooLargeNamesThePolicyAsItsSource() throws {
    let drop = try TestDrop()
    defer { drop.remove() }
    try item(drop, file: "big.pdf", data: try pdf(ofSize: 4 * 1024 * 1024 + 1))
    let finding = try #require(try validate(drop).findings.first { $0.code == .tooLarge })
    #expect(finding.evidence.source == "tw-2020-109-1")
    #expect(finding.evidence.observed == "4194305 bytes" && finding.evidence.expected == "at most 4194304 bytes")
  }

  @Test func evidenceIsWrittenIntoDetailsAndReadBack() throws {
    let drop = try TestDrop()
    defer { drop.remove() }
    try item(drop, file: "empty.pdf", data: Data())
    let finding = try #require(try validate(drop).findings.first { $0.code == .emptyFile })
    let json = try JSONEncoder().encode(finding)
    let details = try #require(
      (try JSONSerialization.jsonObject(with: json) as? [String: Any])?["details"] as? [String: String])
    #expect(details["observed"] == "0 bytes" && details["source"] == "fstat")
    let decoded = try JSONDecoder().decode(Finding.self, from: json)
    #expect(decoded == finding)
  }

  @Test func checkFindsABadIDNumberThroughTheSameRuleAsValidate() throws {
    let packages = try SamplePackages(only: "110001")
    defer { packages.remove() }
    let tampered = packages.folder + "/tampered.zip"
    try writePackage(
      replacingManifest(try entries(of: packages.good)) {
        $0.replacingOccurrences(of: "A123456789", with: "A123456788")
      },
      to: tampered)
    let check = try checker().check(path: tampered)
    let finding = try #require(check.findings.first { $0.code == .invalidIdNumber })
    #expect(finding.evidence.expected == "a valid national-id checksum")
    #expect(!finding.messageZH.contains("A123456788") && !finding.messageEN.contains("A123456788"))
  }

  @Test func everyFindingOfTheSamplesHasEvidence() throws {
    let validation = try Validator(table: try PolicyTable.bundled()).validate(TestDrop.samples)
    for finding in validation.findings {
      #expect(finding.evidence.source != nil, "\(finding.code.rawValue) at \(finding.file ?? "") has no source")
    }
  }
}
