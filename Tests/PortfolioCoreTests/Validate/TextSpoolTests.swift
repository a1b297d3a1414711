import Foundation
import Synchronization
import TestSupport
import Testing

@testable import PortfolioCore

/// Findings' words kept in a file without a name: read back exactly, from any thread, leaving
/// nothing in the folder; a run with a spool reports the same bytes as one without.
@Suite struct TextSpoolTests {
  static func folder() throws -> String {
    let folder = Scratch.path("spool")
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    return folder
  }

  @Test func bytesComeBackFromEveryThreadAndTheFolderStaysEmpty() throws {
    let folder = try Self.folder()
    let spool = try TextSpool(folder: folder)
    let places = Array(repeating: TextSpool.Place?.none, count: 400)
    let written = Mutex(places)
    DispatchQueue.concurrentPerform(iterations: 400) { index in
      let place = spool.append(
        Array("第\(index)則 message \(index)".utf8) + [UInt8](repeating: UInt8(index % 256), count: index))
      written.withLock { $0[index] = place }
    }
    let all = written.withLock { $0 }
    for index in 0..<400 {
      let place = try #require(all[index])
      let expected = Array("第\(index)則 message \(index)".utf8) + [UInt8](repeating: UInt8(index % 256), count: index)
      #expect(try spool.read(place).get() == expected)
    }
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == [])
    #expect(spool.size == (0..<400).reduce(Int64(0)) { $0 + Int64("第\($1)則 message \($1)".utf8.count + $1) })
  }

  @Test func bytesThatAreNotThereAreAnErrorNotOtherBytes() throws {
    let spool = try TextSpool(folder: try Self.folder())
    let place = try #require(spool.append(Array("abc".utf8)))
    #expect(try spool.read(place).get() == Array("abc".utf8))
    let beyond = TextSpool.Place(offset: 2, count: 5)
    #expect(throws: SystemError.self) { try spool.read(beyond).get() }
    let error = SystemError(call: "pread", path: "out (spool)", errno: EIO)
    let texts = FindingTexts(FindingTexts.unreadable(error))
    #expect(
      texts.messageEN
        == "This finding's message could not be read back from the run's spool file (pread out (spool): Input/output error): run again."
    )
  }

  @Test func withoutOTmpfileTheNamedFileIsGoneAtOnce() throws {
    let folder = try Self.folder()
    let spool = try TextSpool(folder: folder, unnamed: false)
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == [])
    let place = try #require(spool.append(Array("名冊".utf8)))
    #expect(try spool.read(place).get() == Array("名冊".utf8))
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == [])
  }

  @Test func aFolderThatIsNotThereIsAnErrorNotACrash() {
    #expect(throws: SystemError.self) { try TextSpool(folder: "/nonexistent-portfolio-folder/x") }
  }

  @Test func aSpooledFindingIsTheSameFinding() throws {
    let spool = try TextSpool(folder: try Self.folder())
    let place = FindingPlace(studentNumber: "110001", itemId: "a", file: "uploads/110001/a/作品.pdf", shortName: "作品.pdf")
    let original = BadMetadata.itemJSON(place, field: "title", problem: "空白", recognisedBy: ["title": "「」"])
    var spooled = original
    spooled.spool(into: spool)
    #expect(spooled.isSpooled && !original.isSpooled)
    #expect(spooled == original)
    #expect(spooled.messageZH == original.messageZH && spooled.messageEN == original.messageEN)
    #expect(spooled.details == original.details && spooled.evidence == original.evidence)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    #expect(try encoder.encode(spooled) == (try encoder.encode(original)))
    // Changing a spooled finding's words keeps the change in memory, the rest as it was.
    spooled.messageEN = "changed"
    #expect(!spooled.isSpooled && spooled.messageEN == "changed" && spooled.messageZH == original.messageZH)
  }

  @Test func theSamplesWithASpoolReportTheSameBytes() throws {
    let table = try PolicyTable.bundled()
    let plain = try Validator(table: table).validate(TestDrop.samples)
    let spool = try TextSpool(folder: try Self.folder())
    let spooled = try Validator(table: table, options: ValidationOptions(spool: spool)).validate(TestDrop.samples)
    #expect(plain.findings.count > 20)
    #expect(spooled.findings.allSatisfy { $0.isSpooled })
    #expect(plain.findings.allSatisfy { !$0.isSpooled })
    #expect(spooled.findings == plain.findings)
    #expect(try ValidationReport(spooled).json() == (try ValidationReport(plain).json()))
    #expect(try ValidationReport(spooled).rejectionsCSV() == (try ValidationReport(plain).rejectionsCSV()))
    #expect(spool.size > 0)
  }
}
