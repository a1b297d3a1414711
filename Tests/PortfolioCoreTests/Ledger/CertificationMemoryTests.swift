import Foundation
import PortfolioCore
import TestSupport
import Testing

/// What the ledger remembers of certifications follows the teacher: a newer certification
/// replaces the old one; an unchanged one is never overwritten by a student's later upload.
@Suite struct CertificationMemoryTests {
  func rewrite(_ path: String, _ change: (inout [String: Any]) -> Void) throws {
    guard
      var item = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any]
    else { throw CocoaError(.fileReadCorruptFile) }
    change(&item)
    try JSONSerialization.data(withJSONObject: item).write(to: URL(fileURLWithPath: path))
  }

  @Test func aLaterCertificationOfACorrectedFileIsLearnt() throws {
    let drop = try copyOfSamples()
    let output = drop + "-out"
    defer { for path in [drop, output] { try? FileManager.default.removeItem(atPath: path) } }
    let itemPath = drop + "/uploads/110001/co-112-1-0001/item.json"
    try rewrite(itemPath) { item in
      var certification = item["certification"] as? [String: Any] ?? [:]
      certification.removeValue(forKey: "sha256")
      item["certification"] = certification
    }
    _ = try nightly(drop: drop, output: output)
    let pdf = drop + "/uploads/110001/co-112-1-0001/雨量計報告.pdf"
    try FileManager.default.removeItem(atPath: pdf)
    try FileManager.default.copyItem(atPath: drop + "/uploads/110003/co-108-1-0002/報告.pdf", toPath: pdf)
    let changed = try nightly(drop: drop, output: output)
    // What the run that gave `outcome` wrote in report.json.
    let modified = { (_: PipelineOutcome) throws -> Bool in
      try reportedFindings(output).contains { $0.code == .modifiedAfterCertification && $0.itemId == "co-112-1-0001" }
    }
    #expect(try modified(changed))
    // The teacher looks at the corrected file and certifies it again, later.
    try rewrite(itemPath) { item in
      var certification = item["certification"] as? [String: Any] ?? [:]
      certification["at"] = "2023-12-01T10:00:00+08:00"
      item["certification"] = certification
    }
    let recertified = try nightly(drop: drop, output: output)
    #expect(try !modified(recertified))
    let remembered = try Ledger(path: output + "/ledger.sqlite").certifiedContent()
      .first { $0.itemId == "co-112-1-0001" && $0.fileName == "雨量計報告.pdf" }
    #expect(remembered?.at == "2023-12-01T10:00:00+08:00")
    // And the next night stays quiet: the new certification is what is remembered.
    try Data("\n".utf8).write(to: URL(fileURLWithPath: drop + "/x.txt"))
    #expect(try !modified(nightly(drop: drop, output: output)))
  }

  @Test func aNewHashInItemJSONReplacesTheRememberedOne() throws {
    let drop = try copyOfSamples()
    let output = drop + "-out"
    defer { for path in [drop, output] { try? FileManager.default.removeItem(atPath: path) } }
    _ = try nightly(drop: drop, output: output)
    let pdf = drop + "/uploads/110001/co-112-1-0001/雨量計報告.pdf"
    try FileManager.default.removeItem(atPath: pdf)
    try FileManager.default.copyItem(atPath: drop + "/uploads/110003/co-108-1-0002/報告.pdf", toPath: pdf)
    let newHash = try sha256Hex(Array(try Data(contentsOf: URL(fileURLWithPath: pdf))))
    try rewrite(drop + "/uploads/110001/co-112-1-0001/item.json") { item in
      var certification = item["certification"] as? [String: Any] ?? [:]
      var hashes = certification["sha256"] as? [String] ?? []
      hashes[0] = newHash
      certification["sha256"] = hashes
      item["certification"] = certification
    }
    _ = try nightly(drop: drop, output: output)
    let remembered = try Ledger(path: output + "/ledger.sqlite").certifiedContent()
      .first { $0.itemId == "co-112-1-0001" && $0.fileName == "雨量計報告.pdf" }
    #expect(remembered?.sha256 == newHash)
  }

  @Test func theInspectionCacheIsKeyedByThisBuildAndThePolicyTable() throws {
    let stamp = Ledger.programStamp
    #expect(stamp.contains(" build ") && !stamp.contains("unknown-build"))
    #expect(stamp.contains(" policies " + String(try PolicyTable.bundled().contentHash.prefix(16))))
    var table = try PolicyTable.bundled()
    let before = table.contentHash
    table.policies[0].limits.document += 1
    #expect(table.contentHash != before)  // any limit changes the key, not only the ids
  }

  @Test func theSkipFingerprintTextIsCanonical() {
    let one = PipelineDefinition.Stage(name: .package, options: ["year": "112", "kind": "central"])
    let two = PipelineDefinition.Stage(name: .package, options: ["kind": "central", "year": "112"])
    #expect(one.canonical == two.canonical)
    #expect(one.canonical == "package kind=central year=112")
  }
}
