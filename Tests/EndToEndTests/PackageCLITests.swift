import Foundation
import PortfolioCore
import TestSupport
import Testing

@Suite(.serialized) struct PackageCLITests {
  func temporary(_ label: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)").path
  }

  func run(_ arguments: [String], epoch: String = "1700000000") throws -> CLI.Outcome {
    try CLI.run(arguments, in: CLI.repository.path, environment: ["SOURCE_DATE_EPOCH": epoch])
  }

  @Test func centralPackagesOfTheSamplesPassCheckAndXmllint() throws {
    let out = temporary("package")
    defer { try? FileManager.default.removeItem(atPath: out) }
    let before = contentListing(CLI.repository.appendingPathComponent("samples/drop").path)
    let made = try run(["package", "samples/drop", "--kind", "central", "--year", "112", "--out", out])
    #expect(made.status == 1)  // 110004's ID number fails its checksum: refused, and said so
    #expect(made.stdout.contains("REFUSED student 110004"))
    // A summary, not a line per student: every student is in packages.csv.
    #expect(
      made.stdout.hasPrefix(
        "packages: 1 written, 1 refused → \(out)/packages/ (every student: \(out)/packages.csv)\n"
          + "  no accepted item selected for 112, no package: 110002\n"))
    #expect(!made.stdout.contains("wrote "))
    let listing = try String(contentsOfFile: out + "/packages.csv", encoding: .utf8)
    #expect(listing.contains("\r\n110004,central,112,,,0,0,refused,invalid-id-number\r\n"), "\(listing)")
    #expect(listing.contains("\r\n110002,central,112,,,0,0,no-items,\r\n"), "\(listing)")
    #expect(contentListing(CLI.repository.appendingPathComponent("samples/drop").path) == before)
    let zips = try FileManager.default.contentsOfDirectory(atPath: out + "/packages").filter { $0.hasSuffix(".zip") }
      .sorted()
    #expect(zips == ["313302_112_central_110001.zip"])  // 110002 selected nothing: no empty package

    let checked = try CLI.run(["check", "--json"] + zips.map { out + "/packages/" + $0 })
    #expect(checked.status == 0, "\(checked.stdout)")
    let verdicts = try JSONDecoder().decode([PackageCheck].self, from: Data(checked.stdout.utf8))
    #expect(verdicts.count == 1 && verdicts.allSatisfy(\.passed))

    let schema = CLI.repository.appendingPathComponent("Sources/PortfolioCore/Resources/manifest-v1.xsd").path
    for zip in zips {
      let manifest = out + "/" + zip + ".manifest.xml"
      let unzip = Process()
      unzip.executableURL = URL(fileURLWithPath: "/usr/bin/unzip")
      unzip.arguments = ["-p", out + "/packages/" + zip, "manifest.xml"]
      FileManager.default.createFile(atPath: manifest, contents: nil)
      unzip.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: manifest))
      try unzip.run()
      unzip.waitUntilExit()
      let lint = Process()
      lint.executableURL = URL(fileURLWithPath: "/usr/bin/xmllint")
      lint.arguments = ["--noout", "--schema", schema, manifest]
      lint.standardError = FileHandle.nullDevice
      try lint.run()
      lint.waitUntilExit()
      #expect(lint.terminationStatus == 0, "xmllint refuses the manifest of \(zip)")
    }
    let receipt = try String(contentsOfFile: out + "/packages/313302_112_central_110001_receipt.txt", encoding: .utf8)
    #expect(receipt.contains("收訖明細") && receipt.contains("SHA-256 a6e70f24bea6"))
    #expect(receipt.contains("A12****789") && !receipt.contains("A123456789"))
  }

  @Test func twoRunsWithTheSameEpochGiveIdenticalZips() throws {
    let first = temporary("repro-a")
    let second = temporary("repro-b")
    defer {
      try? FileManager.default.removeItem(atPath: first)
      try? FileManager.default.removeItem(atPath: second)
    }
    _ = try run(["package", "samples/drop", "--kind", "central", "--year", "112", "--out", first])
    _ = try run(["package", "samples/drop", "--kind", "central", "--year", "112", "--out", second, "--jobs", "1"])
    for name in ["313302_112_central_110001.zip"] {
      let a = FileManager.default.contents(atPath: first + "/packages/" + name)
      #expect(a != nil && a == FileManager.default.contents(atPath: second + "/packages/" + name), "\(name) differs")
    }
  }

  @Test func transferForOneStudent() throws {
    let out = temporary("transfer")
    defer { try? FileManager.default.removeItem(atPath: out) }
    let made = try run(["package", "samples/drop", "--kind", "transfer", "--student", "110001", "--out", out])
    #expect(made.status == 0, "\(made.stdout)\(made.stderr)")
    #expect(FileManager.default.fileExists(atPath: out + "/packages/313302_transfer_110001.zip"))
    #expect(try CLI.run(["check", out + "/packages/313302_transfer_110001.zip"]).status == 0)
  }

  @Test func usageErrors() throws {
    #expect(try run(["package", "samples/drop", "--kind", "central", "--out", temporary("x")]).status == 64)
    #expect(
      try run(["package", "samples/drop", "--kind", "central", "--year", "112", "--out", "samples/drop/p"]).status == 64
    )
    #expect(try CLI.run(["check"]).status == 64)
  }
}
