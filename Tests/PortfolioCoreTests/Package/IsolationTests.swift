import Foundation
import PortfolioCore
import TestSupport
import Testing

/// One student's bad data or changed files refuse that student only; the others get packages.
@Suite struct PackageIsolationTests {
  func packages(_ validation: Validation, kind: PackageManifest.Kind = .transfer, into folder: String) throws
    -> [String: PackageOutcome]
  {
    let packager = try Packager(
      validation: validation, kind: kind, academicYear: kind == .central ? 112 : nil,
      generatedAt: Date(timeIntervalSince1970: 1_700_000_000))
    return Dictionary(uniqueKeysWithValues: try packager.writeAll(into: folder).map { ($0.studentNumber, $0) })
  }

  @Test func aManifestThatBreaksTheSchemaRefusesOnlyThatStudent() throws {
    var validation = try Validator(table: try PolicyTable.bundled()).validate(TestDrop.samples)
    // Something no rule checks (as if a new field were added): the XSD guard must still hold.
    validation.scan.roster.students["110001"]?.birthDate = "2007-13-45"
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("iso-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let outcomes = try packages(validation, into: folder)
    let refused = try #require(outcomes["110001"])
    #expect(refused.path == nil)
    #expect(refused.refusals.map(\.code) == [.packageNotBuilt])
    #expect(refused.refusals.first?.evidence.source == "libxml2 XSD")
    #expect(["110002", "110003"].allSatisfy { outcomes[$0]?.path != nil })
  }

  @Test func aFileDeletedBeforePackagingRefusesOnlyItsStudent() throws {
    let drop = try copyOfSamples()
    defer { try? FileManager.default.removeItem(atPath: drop) }
    let validation = try Validator(table: try PolicyTable.bundled()).validate(drop)
    try FileManager.default.removeItem(atPath: drop + "/uploads/110001/co-112-1-0002/IMG_2041.JPG")
    let outcomes = try packages(validation, into: drop + "-out")
    defer { try? FileManager.default.removeItem(atPath: drop + "-out") }
    #expect(outcomes["110001"]?.path == nil)
    #expect(outcomes["110001"]?.refusals.map(\.code) == [.packageNotBuilt])
    #expect(outcomes["110003"]?.path != nil && outcomes["110002"]?.path != nil)
  }

  @Test func aFileRewrittenWithAnotherSizeRefusesOnlyItsStudent() throws {
    let drop = try copyOfSamples()
    defer { try? FileManager.default.removeItem(atPath: drop) }
    let validation = try Validator(table: try PolicyTable.bundled()).validate(drop)
    let photo = drop + "/uploads/110001/co-112-1-0002/IMG_2041.JPG"
    try (try Data(contentsOf: URL(fileURLWithPath: photo)) + Data(repeating: 0, count: 999)).write(
      to: URL(fileURLWithPath: photo))
    let outcomes = try packages(validation, into: drop + "-out")
    defer { try? FileManager.default.removeItem(atPath: drop + "-out") }
    let codes = outcomes["110001"]?.refusals.map(\.code) ?? []
    #expect(outcomes["110001"]?.path == nil)
    #expect(codes.contains(.sizeMismatch) || codes.contains(.packageNotBuilt), "\(codes)")
    #expect(outcomes["110003"]?.path != nil)
  }

  @Test func aStudentRefusedThisRunLosesLastRunsPackageAndReceipts() throws {
    let drop = try copyOfSamples()
    defer { try? FileManager.default.removeItem(atPath: drop) }
    let folder = drop + "-out"
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let table = try PolicyTable.bundled()
    let first = try packages(try Validator(table: table).validate(drop), kind: .central, into: folder)
    let zip = try #require(first["110001"]?.path)
    let receipt = String(zip.dropLast(4)) + "_receipt.txt"
    #expect(FileManager.default.fileExists(atPath: receipt))
    // The school corrects nothing but breaks the ID number: no package tonight, and none left over.
    let students = try String(contentsOfFile: drop + "/students.csv", encoding: .utf8)
    try students.replacingOccurrences(of: "A123456789", with: "A123456788").write(
      toFile: drop + "/students.csv", atomically: true, encoding: .utf8)
    let second = try packages(try Validator(table: table).validate(drop), kind: .central, into: folder)
    #expect(second["110001"]?.path == nil)
    #expect(
      second["110001"]?.removed.sorted()
        == [zip, receipt, String(zip.dropLast(4)) + "_receipt.csv"].map {
          String($0.split(separator: "/").last ?? "")
        }.sorted())
    #expect(!FileManager.default.fileExists(atPath: zip) && !FileManager.default.fileExists(atPath: receipt))
    #expect(
      second.values.filter { $0.studentNumber != "110001" }.allSatisfy {
        $0.path.map(FileManager.default.fileExists) ?? true
      })
  }
}
