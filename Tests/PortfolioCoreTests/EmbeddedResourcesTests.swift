import Foundation
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
