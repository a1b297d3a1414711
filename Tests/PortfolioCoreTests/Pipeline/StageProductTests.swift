import Digest
import Foundation
import TestSupport
import Testing

@testable import PortfolioCore

/// The products stages hand each other: typed keys, declared per stage type, checked at load.
@Suite struct StageProductTests {
  @Test func aProductIsReadBackUnderItsKeyAndOnlyThere() throws {
    var products = Products()
    #expect(products.made(.notices) == nil)
    products.put(.notices, ["110001", "110002"])
    products.put(.receiptSection, "<section>receipt</section>")
    #expect(products.made(.notices) == ["110001", "110002"])
    #expect(products.made(.receiptSection) == "<section>receipt</section>")
    // The central packages of one year are not those of another.
    products.put(.centralPackages(year: 111), [:])
    #expect(products.made(.centralPackages(year: 111))?.isEmpty == true)
    #expect(products.made(.centralPackages(year: 112)) == nil)
  }

  @Test func aNeededProductThatWasNotMadeIsADefinitionError() {
    #expect {
      try Products().needed(.validation, by: "report")
    } throws: { error in
      "\(error)" == "report: needs a validation: put a validate stage before it"
    }
  }

  @Test func eachStageDeclaresWhatItNeedsAndMakes() throws {
    let yaml = """
      name: x
      drop: d
      output: o
      stages:
        - validate
        - package:
            kind: central
            year: 112
        - package:
            kind: transfer
        - roster:
            year: 112
        - notices
        - report
      """
    let stages = try PipelineDefinition.parse(yaml, source: "t.yml").stages.map { try $0.typed() }
    #expect(stages.map(\.makes) == [[.scan, .validation], [.centralPackages(year: 112)], [], [], [.notices], []])
    #expect(
      stages.map(\.needs) == [
        [], [.validation], [.validation], [.validation, .centralPackages(year: 112)], [.validation], [.validation],
      ])
  }

  /// A transfer package stage makes no central packages: a roster after it alone has nothing
  /// to list.
  @Test func aTransferPackageStageDoesNotFeedTheRosters() {
    let yaml =
      "name: x\ndrop: d\noutput: o\nstages:\n  - validate\n  - package:\n      kind: transfer\n  - roster:\n      year: 112"
    #expect {
      try PipelineDefinition.parse(yaml, source: "t.yml")
    } throws: { error in
      "\(error)"
        == "t.yml: stage roster needs the central packages of 112: put a package (kind: central, year: 112) stage before it"
    }
  }
}

/// The skip fingerprint hashes the drop's lines one at a time: the same digest as the joined text.
@Suite struct DropFingerprintDigestTests {
  @Test func linesHashedOneAtATimeGiveTheDigestOfTheJoinedText() throws {
    for lines in [[], [""], ["school.json f 33188 12 34 1.2 3.4"], ["a", "", "學生/作品 d 1", "b\n"]] {
      let joined = Array(lines.joined(separator: "\n").utf8)
      #expect(DropFingerprint.digest(lines) == (try DigestHasher.hex(of: joined)))
    }
  }

  /// Walked a chunk of students at a time in parallel, each folder's entries looked at relative
  /// to it, the fingerprint is still the digest of every line in order: the drop's own files,
  /// then each student's folder as one walk by whole paths finds it.
  @Test func aSchoolWalkedInChunksHasTheFingerprintOfOneOrderedWalk() throws {
    let drop = Scratch.path("fingerprint")
    let uploads = drop + "/uploads"
    let students = DropFingerprint.chunk * 2 + 7
    for student in 0..<students {
      let item = uploads + "/S\(100_000 + student)/oc-\(student % 3)"
      try FileManager.default.createDirectory(atPath: item, withIntermediateDirectories: true)
      try Data("{}".utf8).write(to: URL(fileURLWithPath: item + "/item.json"))
      if student % 50 == 0 {  // a name in Chinese, and a link to a folder (never followed)
        try Data("x".utf8).write(to: URL(fileURLWithPath: item + "/心得.pdf"))
        try FileManager.default.createSymbolicLink(atPath: item + "/link", withDestinationPath: uploads)
      }
    }
    try Data("{}".utf8).write(to: URL(fileURLWithPath: drop + "/school.json"))
    var lines = ["school.json", "students.csv", "courses.csv", "cadres.csv"].map { name in
      name + " " + DropFingerprint.identity(drop + "/" + name)
    }
    lines.append("uploads " + DropFingerprint.identity(uploads))
    // One ordered walk by whole paths (lstat from the root each time), beside the folder-relative one.
    func byPath(_ path: String, relative: String, depth: Int) throws {
      let own = DropFingerprint.identity(path)
      lines.append(relative + " " + own)
      guard depth < 2, own.hasPrefix("d") else { return }
      for name in try FileManager.default.contentsOfDirectory(atPath: path).sorted(by: {
        Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8))
      }) {
        try byPath(path + "/" + name, relative: relative + "/" + name, depth: depth + 1)
      }
    }
    for name in try FileSystem.names(in: uploads).get() {
      try byPath(uploads + "/" + name.display, relative: "uploads/" + name.display, depth: 0)
    }
    #expect(lines.count == 5 + students * 3 + 11 * 2)
    #expect(DropFingerprint.compute(drop, jobs: 2) == DropFingerprint.digest(lines))
    #expect(DropFingerprint.compute(drop, jobs: 1) == DropFingerprint.digest(lines))
  }
}
