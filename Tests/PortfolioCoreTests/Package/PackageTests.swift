import Foundation
import PortfolioCore
import TestSupport
import Testing
import XMLKit
import ZipKit

/// Central packages of the samples for 112, made once per test in a temporary folder.
struct SamplePackages {
  let folder: String
  let outcomes: [PackageOutcome]

  init(kind: PackageManifest.Kind = .central, year: Int? = 112, epoch: Double = 1_700_000_000, only: String? = nil)
    throws
  {
    folder = FileManager.default.temporaryDirectory.appendingPathComponent("packages-\(UUID().uuidString)").path
    let validation = try Validator(table: try PolicyTable.bundled()).validate(TestDrop.samples)
    let packager = try Packager(
      validation: validation, kind: kind, academicYear: year, generatedAt: Date(timeIntervalSince1970: epoch))
    outcomes = try packager.writeAll(into: folder, only: only)
  }

  var good: String { folder + "/313302_112_central_110001.zip" }
  func remove() { try? FileManager.default.removeItem(atPath: folder) }
}

func checker() throws -> PackageChecker {
  PackageChecker(table: try PolicyTable.bundled(), schema: try ManifestSchema.load())
}

/// Every entry of a package: name and bytes, in order.
func entries(of path: String) throws -> [(String, [UInt8])] {
  let reader = try ZipArchiveReader(path: path)
  return try reader.entries().map { ($0.name ?? "", try reader.readAll($0, maxBytes: 1 << 26)) }
}

/// Writes a package from entries (names may be hostile), the way a tampering tool would.
func writePackage(_ entries: [(String, [UInt8])], to path: String) throws {
  let writer = try ZipArchiveWriter(path: path, timestamp: ZipTimestamp(secondsSince1970: 1_700_000_000))
  for (name, bytes) in entries {
    try writer.add(name: name, bytes: bytes, compression: name == "manifest.xml" ? .deflated : .stored)
  }
  try writer.commit()
}

func manifestText(_ entries: [(String, [UInt8])]) -> String { String(decoding: entries[0].1, as: UTF8.self) }

func replacingManifest(_ entries: [(String, [UInt8])], _ transform: (String) -> String) -> [(String, [UInt8])] {
  [("manifest.xml", Array(transform(manifestText(entries)).utf8))] + entries.dropFirst()
}

func checkCodes(_ path: String) throws -> [String] {
  try checker().check(path: path).findings.filter { $0.severity == .error }.map(\.code.rawValue)
}

@Suite struct PackageTests {
  @Test func everySamplePackagePassesCheck() throws {
    let packages = try SamplePackages()
    defer { packages.remove() }
    let written = packages.outcomes.compactMap(\.path)
    #expect(written.count == 1)  // 110001; 110003 is not enrolled in 112
    // 110002 selected nothing for 112: no empty package, and not a refusal.
    let none = try #require(packages.outcomes.first { $0.studentNumber == "110002" })
    #expect(none.path == nil && none.noItems && none.refusals.isEmpty)
    #expect(packages.outcomes.first { $0.studentNumber == "110004" }?.refusals.map(\.code) == [.invalidIdNumber])
    for path in written {
      let check = try checker().check(path: path)
      #expect(check.passed, "\(path): \(check.findings.map(\.messageEN))")
    }
    let files = try FileManager.default.contentsOfDirectory(atPath: packages.folder)
    #expect(files.contains("313302_112_central_110001_receipt.txt"))
    #expect(files.contains("313302_112_central_110001_receipt.csv"))
    #expect(!files.contains { $0.hasPrefix(".") })  // no temporary file left behind
    for name in files { #expect(!name.contains("A123456789")) }
  }

  @Test func theManifestIsFirstAndFilesAreStoredUnderSniffedExtensions() throws {
    let packages = try SamplePackages()
    defer { packages.remove() }
    let reader = try ZipArchiveReader(path: packages.good)
    let all = try reader.entries()
    #expect(
      all.map { $0.name ?? "" } == [
        "manifest.xml", "files/co-112-1-0001/1.pdf", "files/co-112-1-0001/2.mp3", "files/co-112-1-0002/1.jpg",
        "files/mp-112-0001/1.png", "files/mp-112-0001/2.mp4",
      ])
    #expect(all[0].isDeflated && all.dropFirst().allSatisfy(\.isStored))
    // IMG_2041.JPG keeps its original name in the manifest but gets the sniffed extension.
    let manifest = manifestText(try entries(of: packages.good))
    #expect(manifest.contains(#"originalName="IMG_2041.JPG""#))
  }

  @Test func goldenManifestForOneStudent() throws {
    let packages = try SamplePackages()
    defer { packages.remove() }
    let manifest = try entries(of: packages.good)[0].1
    let golden = TestDrop.repository.appendingPathComponent(
      "Tests/PortfolioCoreTests/Golden/manifest-313302_112_central_110001.xml")
    if ProcessInfo.processInfo.environment["PORTFOLIO_RECORD"] == "1" {
      try Data(manifest).write(to: golden)
      Issue.record("recorded the golden manifest; rerun without PORTFOLIO_RECORD")
    }
    #expect(manifest == [UInt8](try Data(contentsOf: golden)))
  }

  @Test func sameInputsAndEpochGiveIdenticalZips() throws {
    let first = try SamplePackages()
    let second = try SamplePackages()
    defer {
      first.remove()
      second.remove()
    }
    let a = first.outcomes.compactMap(\.sha256)
    #expect(a.count == 1)
    #expect(a == second.outcomes.compactMap(\.sha256))
    let other = try SamplePackages(epoch: 1_700_000_002)
    defer { other.remove() }
    #expect(other.outcomes.compactMap(\.sha256) != a)
  }

  @Test func transferPackagesHoldTheWholeHistoryAndConsultations() throws {
    let packages = try SamplePackages(kind: .transfer, year: nil, only: "110001")
    defer { packages.remove() }
    let path = try #require(packages.outcomes.first?.path)
    #expect(path.hasSuffix("313302_transfer_110001.zip"))
    let manifest = manifestText(try entries(of: path))
    #expect(manifest.contains(#"kind="transfer""#))
    #expect(manifest.contains("<consultationRecords>"))
    #expect(manifest.contains(#"<consultation id="cs-112-1-0001""#))
    #expect(!manifest.contains("<academicYear>"))
    #expect(try checker().check(path: path).passed)
  }
}

@Suite struct CheckCatchesTamperingTests {
  func tampered(_ name: String, _ transform: ([(String, [UInt8])]) -> [(String, [UInt8])]) throws -> [String] {
    let packages = try SamplePackages(only: "110001")
    defer { packages.remove() }
    let path = packages.folder + "/" + name
    try writePackage(transform(try entries(of: packages.good)), to: path)
    return try checkCodes(path)
  }

  @Test func changedBytesInAFile() throws {
    let codes = try tampered("changed.zip") { entries in
      var copy = entries
      copy[1].1[100] ^= 0x01
      return copy
    }
    #expect(codes == ["hash-mismatch"])
  }

  @Test func aFlippedByteInsideTheStoredArchiveIsACRCError() throws {
    let packages = try SamplePackages(only: "110001")
    defer { packages.remove() }
    var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: packages.good)))
    let marker = Array("%PDF-".utf8)
    let at = try #require((0..<(bytes.count - 5)).first { Array(bytes[$0..<($0 + 5)]) == marker })
    bytes[at + 200] ^= 0x01
    let path = packages.folder + "/flipped.zip"
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    #expect(try checkCodes(path).contains("corrupt-archive"))
  }

  @Test func aSizeTheManifestDoesNotHold() throws {
    let codes = try tampered("size.zip") { entries in
      replacingManifest(entries) { $0.replacingOccurrences(of: #"bytes="2421""#, with: #"bytes="2422""#) }
    }
    #expect(codes == ["size-mismatch"])
  }

  @Test func anItemIdUsedTwice() throws {
    let codes = try tampered("twice.zip") { entries in
      replacingManifest(entries) {
        $0.replacingOccurrences(of: #"<outcome id="co-112-1-0002""#, with: #"<outcome id="co-112-1-0001""#)
      }
    }
    #expect(codes.contains("duplicate-id"))
  }

  /// check judges a package's items as validate judges the drop's (the same item model): a
  /// performance's organizer is one line of text, in a package too.
  @Test func aLineBreakInAPerformancesOrganizer() throws {
    let codes = try tampered("organizer.zip") { entries in
      replacingManifest(entries) {
        $0.replacingOccurrences(of: #"organizer="國立臺灣科學教育館""#, with: #"organizer="國立臺灣&#10;科學教育館""#)
      }
    }
    #expect(codes == ["invalid-text"])
  }

  @Test func anExtraEntry() throws {
    let codes = try tampered("extra.zip") { $0 + [("files/co-112-1-0001/3.pdf", $0[1].1)] }
    #expect(codes == ["unlisted-entry"])
  }

  @Test func aMissingEntry() throws {
    let codes = try tampered("missing.zip") { entries in entries.filter { $0.0 != "files/co-112-1-0002/1.jpg" } }
    #expect(codes == ["missing-entry"])
  }

  @Test func aManifestThatBreaksTheXSD() throws {
    let codes = try tampered("xsd.zip") { entries in
      replacingManifest(entries) {
        $0.replacingOccurrences(of: "<schoolType>general</schoolType>", with: "<schoolType>cram-school</schoolType>")
      }
    }
    #expect(codes == ["schema-invalid"])
  }

  @Test func anotherMajorVersion() throws {
    let codes = try tampered("v2.zip") { entries in
      replacingManifest(entries) { $0.replacingOccurrences(of: #"specVersion="1.0""#, with: #"specVersion="2.0""#) }
    }
    #expect(codes == ["unsupported-version"])
  }

  @Test func aNewerMinorVersionIsAccepted() throws {
    let codes = try tampered("v1-7.zip") { entries in
      replacingManifest(entries) { $0.replacingOccurrences(of: #"specVersion="1.0""#, with: #"specVersion="1.7""#) }
    }
    #expect(codes == [])
  }

  @Test func aDoctypeInTheManifest() throws {
    let codes = try tampered("doctype.zip") { entries in
      replacingManifest(entries) {
        $0.replacingOccurrences(
          of: "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
          with: "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>")
      }
    }
    #expect(codes == ["xml-forbidden"])
  }

  @Test func sevenSelectedCourseOutcomes() throws {
    let codes = try tampered("seven.zip") { entries in
      var extra: [(String, [UInt8])] = []
      let manifest = replacingManifest(entries) { text in
        let start = text.range(of: "    <outcome id=\"co-112-1-0002\"")!.lowerBound
        let end = text.range(of: "    </outcome>\n  </courseOutcomes>")!.upperBound
        let block = String(text[start..<end]).replacingOccurrences(of: "\n  </courseOutcomes>", with: "")
        var copies = ""
        for index in 3...7 {
          copies += block.replacingOccurrences(of: "co-112-1-0002", with: "co-112-1-000\(index)") + "\n"
          extra.append(("files/co-112-1-000\(index)/1.jpg", entries.first { $0.0 == "files/co-112-1-0002/1.jpg" }!.1))
        }
        return text.replacingOccurrences(of: "  </courseOutcomes>", with: copies + "  </courseOutcomes>")
      }
      return manifest + extra
    }
    #expect(codes == ["selection-over-limit"])
  }

  @Test func aConsultationRecordInACentralPackage() throws {
    let codes = try tampered("consultation.zip") { entries in
      replacingManifest(entries) {
        $0.replacingOccurrences(
          of: "</portfolioPackage>",
          with:
            "  <consultationRecords>\n    <consultation id=\"cs-1\" academicYear=\"112\" term=\"1\"><summary>諮詢</summary><uploadedAt>2023-11-20T12:00:00+08:00</uploadedAt></consultation>\n  </consultationRecords>\n</portfolioPackage>"
        )
      }
    }
    #expect(codes == ["wrong-kind"])
  }

  @Test(arguments: [
    "files/../../etc/passwd", "/etc/passwd", "files\\co\\1.pdf", "C:/x.pdf", "files/co-112-1-0001/./1.pdf",
  ])
  func anUnsafeEntryPath(name: String) throws {
    let codes = try tampered("unsafe.zip") { $0 + [(name, Array("x".utf8))] }
    #expect(codes == ["unsafe-entry"])
  }

  @Test func duplicateEntriesAfterCaseFolding() throws {
    let codes = try tampered("dup.zip") { entries in entries + [("files/CO-112-1-0001/1.pdf", entries[1].1)] }
    #expect(codes == ["duplicate-entry"])
  }

  @Test func exactlyDuplicatedEntryNames() throws {
    let packages = try SamplePackages(only: "110001")
    defer { packages.remove() }
    let path = packages.folder + "/exact.zip"
    var all = try entries(of: packages.good)
    all.append(("files/co-112-1-0001/1.pdX", all[1].1))
    try writePackage(all, to: path)
    // Rename the extra entry in its local and central headers: two entries, one name.
    var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    let from = Array("1.pdX".utf8)
    var index = 0
    while index + from.count <= bytes.count {
      if Array(bytes[index..<(index + from.count)]) == from { bytes[index + 4] = UInt8(ascii: "f") }
      index += 1
    }
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    // libzip refuses an archive whose central directory repeats a name (ZIP_CHECKCONS), before
    // our own duplicate check sees it: the package is refused as a corrupt archive.
    #expect(try checkCodes(path) == ["corrupt-archive"])
  }

  @Test func contentNoLongerMatchingItsMime() throws {
    let heic = [UInt8](try fixtureBytes("image_heic--iphone-photo.heic"))
    let codes = try tampered("mime.zip") { entries in
      let updated = entries.map { $0.0 == "files/co-112-1-0002/1.jpg" ? ($0.0, heic) : $0 }
      let digest = try! sha256Hex(heic)
      return replacingManifest(updated) { text in
        let old = #"bytes="12437" sha256="e95b546b7954604ac22c730d669e0ad6d046341dc306bb764695a90e9333da65""#
        return text.replacingOccurrences(of: old, with: #"bytes="\#(heic.count)" sha256="\#(digest)""#)
      }
    }
    #expect(codes == ["format-not-allowed"])
  }

  @Test func aFileOverItsPolicyYearsLimit() throws {
    // A PDF of 4 MiB + 1 byte (padding after %%EOF), listed honestly.
    var big = [UInt8](try fixtureBytes("application_pdf--report.pdf"))
    big += [UInt8](repeating: 0x20, count: 4 * 1_048_576 + 1 - big.count)
    let codes = try tampered("big.zip") { entries in
      let updated = entries.map { $0.0 == "files/co-112-1-0001/1.pdf" ? ($0.0, big) : $0 }
      let digest = try! sha256Hex(big)
      return replacingManifest(updated) { text in
        let old = #"bytes="2421" sha256="a6e70f24bea696da7f6fee91e9ae489c82f0e82100082029a89154932ac5c727""#
        return text.replacingOccurrences(of: old, with: #"bytes="\#(big.count)" sha256="\#(digest)""#)
      }
    }
    #expect(codes == ["too-large"])
  }

  @Test func notAZipAtAll() throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("not-\(UUID().uuidString).zip").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    try fixtureBytes("application_pdf--report.pdf").write(to: URL(fileURLWithPath: path))
    #expect(try checkCodes(path) == ["corrupt-archive"])
  }
}

func sha256Hex(_ bytes: [UInt8]) throws -> String {
  try SystemTool.digest("sha256sum", of: Data(bytes))
}

@Suite struct PackageRaceTests {
  /// A file re-uploaded between validation and packaging: its identity changed, so the package
  /// is read back in full and refused instead of holding bytes nobody validated.
  @Test func aFileChangedAfterValidationIsCaught() throws {
    let drop = try copyOfSamples()
    let folder = drop + "-packages"
    defer {
      try? FileManager.default.removeItem(atPath: drop)
      try? FileManager.default.removeItem(atPath: folder)
    }
    let validation = try Validator(table: try PolicyTable.bundled()).validate(drop)
    let photo = drop + "/uploads/110001/co-112-1-0002/IMG_2041.JPG"
    var bytes = try Data(contentsOf: URL(fileURLWithPath: photo))
    bytes[bytes.count / 2] ^= 0x55  // same size, different content, rewritten in place
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: photo))
    try handle.write(contentsOf: bytes)
    try handle.close()
    let packager = try Packager(
      validation: validation, kind: .central, academicYear: 112, generatedAt: Date(timeIntervalSince1970: 1_700_000_000)
    )
    let outcome = try #require(try packager.writeAll(into: folder, only: "110001").first)
    #expect(outcome.path == nil)
    #expect(outcome.refusals.map(\.code).contains(.hashMismatch))
    #expect(!FileManager.default.fileExists(atPath: folder + "/313302_112_central_110001.zip"))
  }

  /// An archive that cannot be written although nothing changed and the folder is writable:
  /// tried twice, then the student is told the truth (no claim that an upload changed), and
  /// every other student's package is written.
  @Test func anArchiveThatCannotBeWrittenIsNotBlamedOnTheUpload() throws {
    let folder = Scratch.path("packages-blocked")
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    // A folder where 110001's temporary goes: creating the archive fails (EEXIST) both times.
    let blocked = folder + "/.313302_112_central_110001.zip.partial-\(getpid())"
    try FileManager.default.createDirectory(atPath: blocked, withIntermediateDirectories: true)
    let validation = try Validator(table: try PolicyTable.bundled()).validate(TestDrop.samples)
    let packager = try Packager(
      validation: validation, kind: .central, academicYear: 112, generatedAt: Date(timeIntervalSince1970: 1_700_000_000)
    )
    let outcomes = try packager.writeAll(into: folder)
    let refused = try #require(outcomes.first { $0.studentNumber == "110001" })
    #expect(refused.path == nil)
    let finding = try #require(refused.refusals.first)
    #expect(refused.refusals.count == 1 && finding.code == .packageNotBuilt)
    #expect(finding.messageEN.contains("failed twice although every source was as validated"))
    #expect(finding.messageEN.contains("File exists"))
    #expect(!finding.messageEN.contains("changed or vanished") && !finding.messageZH.contains("更改或刪除"))
    #expect(finding.messageZH.contains("不是你的檔案有問題"))
    #expect(!FileManager.default.fileExists(atPath: folder + "/313302_112_central_110001.zip"))
    // The folder in the way is not this program's to remove; every other student's outcome is
    // what it is when nothing is in the way.
    #expect(FileManager.default.fileExists(atPath: blocked))
    let normal = try SamplePackages()
    defer { normal.remove() }
    let others = { (all: [PackageOutcome]) in
      all.filter { $0.studentNumber != "110001" }.sorted { $0.studentNumber < $1.studentNumber }
        .map { "\($0.studentNumber) \($0.path != nil) \($0.refusals.map(\.code.rawValue))" }
    }
    #expect(others(outcomes) == others(normal.outcomes) && others(outcomes).count == 2)
  }
}
