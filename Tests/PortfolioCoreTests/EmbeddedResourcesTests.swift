import Foundation
import TestSupport
import Testing

@testable import PortfolioCore

/// The policy table and the manifest schema are compiled into the binary (so an installed
/// `portfolio` needs no resource bundle); the files in `Resources/` stay the source of truth, and
/// this fails when `scripts/embed-resources.py` was not run after changing one.
@Suite struct EmbeddedResourcesTests {
  static let resources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Sources/PortfolioCore/Resources")

  @Test(arguments: [
    ("policies.json", EmbeddedResources.policies), ("manifest-v1.xsd", EmbeddedResources.manifestSchema),
  ])
  func theCompiledInBytesAreTheFile(name: String, embedded: [UInt8]) throws {
    let file = try Data(contentsOf: Self.resources.appendingPathComponent(name))
    #expect(!embedded.isEmpty)
    #expect(embedded == [UInt8](file), "\(name) changed: run python3 scripts/embed-resources.py")
  }

  @Test func theProgramReadsThemWithoutABundle() throws {
    let file = try Data(contentsOf: Self.resources.appendingPathComponent("policies.json"))
    #expect(try PolicyTable.bundled() == PolicyTable.load(file))
    #expect(try ManifestSchema.bytes().count == EmbeddedResources.manifestSchema.count)
    _ = try ManifestSchema.load()
  }
}

/// The policy table is checked when it is loaded: a version that is not a date, or a policy id
/// given twice, stops the program before it judges anything.
@Suite struct PolicyTableCheckTests {
  func shipped() throws -> [String: Any] {
    let file = CLI.repository.appendingPathComponent("Sources/PortfolioCore/Resources/policies.json")
    return try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
  }

  @Test func aVersionThatIsNotADateIsRefused() throws {
    var table = try shipped()
    table["tableVersion"] = "latest"
    #expect {
      try PolicyTable.load(try JSONSerialization.data(withJSONObject: table))
    } throws: { error in
      "\(error)" == "the policy table's tableVersion \"latest\" is not a date (2020-12-21)"
    }
  }

  @Test func aPolicyGivenTwiceIsRefused() throws {
    var table = try shipped()
    let policies = try #require(table["policies"] as? [Any])
    table["policies"] = policies + [policies[0]]
    #expect {
      try PolicyTable.load(try JSONSerialization.data(withJSONObject: table))
    } throws: { error in
      "\(error)" == "the policy table holds policy tw-2019-108 twice"
    }
  }
}
