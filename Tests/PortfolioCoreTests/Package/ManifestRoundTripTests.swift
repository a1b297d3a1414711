import Foundation
import TestSupport
import Testing
import XMLKit

@testable import PortfolioCore

/// A package holds the one item model: what the packager builds in memory (and the rosters read)
/// is exactly what `check`, `import` and `receipts` read back from manifest.xml.
@Suite struct ManifestRoundTripTests {
  @Test(arguments: [PackageManifest.Kind.transfer, .central])
  func everyBuiltManifestReadsBackAsItWasBuilt(kind: PackageManifest.Kind) throws {
    let validation = try Validator(table: try PolicyTable.bundled()).validate(TestDrop.samples)
    let packager = try Packager(
      validation: validation, kind: kind, academicYear: kind == .central ? 112 : nil,
      generatedAt: Date(timeIntervalSince1970: 1_700_000_000))
    var items = 0
    var details = 0
    var kinds = Set<ItemKind>()
    for student in validation.scan.roster.students.values.sorted(by: { $0.studentNumber < $1.studentNumber }) {
      let (built, _, _) = packager.buildManifest(student)
      let xml = try ManifestXML.write(built)
      let root = try #require(try XMLDocument(bytes: xml).rootElement())
      let read = try #require(ManifestXML.read(root))
      #expect(read.items == built.items, "\(student.studentNumber): the items read back differ from those built")
      // The rest compared as a whole; the message names the student, never the ID number.
      let same = read == built
      #expect(same, "\(student.studentNumber): the manifest read back differs from the one built")
      items += built.items.count
      details += built.items.count { $0.item.details != nil }
      kinds.formUnion(built.items.map(\.item.kind))
    }
    // The samples' accepted items: every kind the package takes, a performance's details among them.
    #expect(items == (kind == .transfer ? 5 : 3))
    #expect(details == 1)
    #expect(kinds == (kind == .transfer ? Set(ItemKind.allCases) : [.courseOutcome, .multiplePerformance]))
  }
}
