import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Wrong paths get the right diagnosis, the drop is never written through a symbolic link, one
/// exit-code rule holds for every command, a busy output folder is refused, and what carries ID
/// numbers is owner-only — each through the built CLI.
@Suite(.serialized) struct PathAndExitTests {
  static let epoch = ["SOURCE_DATE_EPOCH": "1700000000"]
  let root = NSTemporaryDirectory() + "paths-\(UUID().uuidString)"
  var samples: String { CLI.repository.path + "/samples/drop" }

  init() throws {
    try FileManager.default.createDirectory(atPath: root + "/empty", withIntermediateDirectories: true)
    try Data("not a folder".utf8).write(to: URL(fileURLWithPath: root + "/afile"))
  }

  func portfolio(_ arguments: [String]) throws -> CLI.Outcome {
    try CLI.run(arguments, in: root, environment: Self.epoch)
  }

  func firstLine(_ outcome: CLI.Outcome) -> String {
    outcome.stderr.split(separator: "\n").first.map(String.init) ?? ""
  }

  /// Each wrong path: exit 64 and a first line that names it and what it must be.
  @Test func wrongPathsAreNamedForWhatTheyAre() throws {
    defer { try? FileManager.default.removeItem(atPath: root) }
    let package = root + "/p.zip"
    try FileManager.default.copyItem(atPath: samples + "/school.json", toPath: root + "/school.zip")
    let export = try portfolio(["export", samples, "--student", "110001", "--out", root + "/x"])
    #expect(export.status == 0, "110001 has nothing rejected: \(export.stderr)")
    try FileManager.default.copyItem(atPath: root + "/x/packages/313302_transfer_110001.zip", toPath: package)
    let cases: [([String], String)] = [
      (
        ["import", package, "--into", root + "/nosuch", "--from-school", "313302"],
        "portfolio import: \(root)/nosuch: the receiving drop directory (--into) does not exist."
      ),
      (
        ["import", package, "--into", root + "/empty", "--from-school", "313302"],
        "portfolio import: \(root)/empty/school.json: school.json is missing:"
      ),
      (
        ["import", package, "--into", root + "/afile", "--from-school", "313302"],
        "portfolio import: \(root)/afile: the receiving drop directory (--into) must be a folder, but this is a regular file."
      ),
      (["check", "nosuch.zip"], "portfolio check: nosuch.zip: the package does not exist."),
      (
        ["import", "nosuch.zip", "--into", samples, "--from-school", "313302"],
        "portfolio import: nosuch.zip: the package does not exist."
      ),
      (
        ["check", root + "/empty"], "portfolio check: \(root)/empty: the package must be a file, but this is a folder."
      ),
      (
        ["check", root + "/school.zip"],
        "portfolio check: \(root)/school.zip: the package is not a zip archive (it starts with 7B 0A 20 20)."
      ),
      (["run", "nosuch.yml"], "portfolio run: nosuch.yml: the pipeline file does not exist."),
      (
        ["merge", root + "/nosuch", "--out", root + "/m"],
        "portfolio merge: \(root)/nosuch: the shard output folder does not exist."
      ),
      (
        ["merge", root + "/empty", "--out", root + "/m"],
        "portfolio merge: \(root)/empty is not the output folder of a shard run (no shard.json, no ledger.sqlite)"
      ),
      (
        ["validate", samples, "--out", root + "/afile"],
        "portfolio validate: \(root)/afile: the output folder cannot be made: \(root)/afile is a regular file."
      ),
      (["policy", "--term", "3"], "Error: --term must be 1 or 2"),
      (["run", "pipelines/nightly.yml", "--jobs", "0"], "Error: --jobs must be between 1 and 64"),
      (["policy", "--year", "99"], "Error: --year must be a Minguo academic year from 108 to 199"),
    ]
    let before = TestDrop.listing(of: samples)
    for (arguments, expected) in cases {
      let outcome = try portfolio(arguments)
      #expect(outcome.status == 64, "\(arguments): \(outcome.stderr)")
      #expect(firstLine(outcome).hasPrefix(expected), "\(arguments): \(outcome.stderr)")
    }
    #expect(!FileManager.default.fileExists(atPath: root + "/m"))
    #expect(TestDrop.listing(of: samples) == before)
  }

  /// `dlink → drop`: an output under the link is inside the drop, and refused before any write.
  @Test func aSymbolicLinkToTheDropIsSeenThrough() throws {
    defer { try? FileManager.default.removeItem(atPath: root) }
    let drop = root + "/drop"
    try FileManager.default.copyItem(atPath: samples, toPath: drop)
    try FileManager.default.createSymbolicLink(atPath: root + "/dlink", withDestinationPath: drop)
    let before = TestDrop.listing(of: drop)
    for arguments in [
      ["validate", drop, "--out", root + "/dlink/out"],
      ["run", CLI.repository.path + "/pipelines/nightly.yml", "--drop", drop, "--output", root + "/dlink/nightly"],
      ["package", drop, "--kind", "transfer", "--out", root + "/dlink"],
    ] {
      let outcome = try portfolio(arguments)
      #expect(outcome.status == 64, "\(arguments)")
      #expect(
        firstLine(outcome).contains(": the output folder is the drop directory or inside it (\(drop)"),
        "\(arguments): \(outcome.stderr)")
    }
    #expect(TestDrop.listing(of: drop) == before, "nothing was written into the drop")
  }

  /// 0 nothing rejected, 1 something rejected or refused, whatever the command.
  @Test func oneExitCodeRuleForEveryCommand() throws {
    defer { try? FileManager.default.removeItem(atPath: root) }
    let clean = try TestDrop()
    defer { clean.remove() }
    try clean.item("110001", "mp-1", files: ["a.pdf"])
    try clean.copyFixture("application_pdf--report.pdf", to: "uploads/110001/mp-1/a.pdf")
    let rejected = try TestDrop()
    defer { rejected.remove() }
    try rejected.item("110001", "mp-1", files: ["a.exe"])
    try rejected.copyFixture(
      "application_vnd.microsoft.portable-executable--setup.exe", to: "uploads/110001/mp-1/a.exe")
    for (drop, status) in [(clean.root, Int32(0)), (rejected.root, Int32(1))] {
      for arguments in [
        ["validate", drop, "--out", root + "/v"],
        ["notices", drop, "--out", root + "/n"],
        ["package", drop, "--kind", "transfer", "--out", root + "/t"],
        ["package", drop, "--kind", "central", "--year", "112", "--out", root + "/c"],
        ["export", drop, "--student", "110001", "--out", root + "/e"],
      ] {
        let outcome = try portfolio(arguments)
        #expect(outcome.status == status, "\(arguments[0]) \(arguments[3...]): \(outcome.stdout)\(outcome.stderr)")
      }
    }
    // The rejected student's transfer package is written, empty, and says so.
    let export = try portfolio(["export", rejected.root, "--student", "110001", "--out", root + "/e2"])
    #expect(export.stdout.contains("the package holds no item: every item of 110001 was rejected or none exists"))
  }

  /// A `validate` into the folder a run is using stops at once; the run's report is untouched.
  @Test func aBusyOutputFolderIsRefused() throws {
    defer { try? FileManager.default.removeItem(atPath: root) }
    let out = root + "/busy"
    try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
    try Data("the run's report".utf8).write(to: URL(fileURLWithPath: out + "/report.json"))
    let fd = open(out + "/.lock", O_RDWR | O_CREAT, 0o644)
    #expect(fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0)
    defer { close(fd) }
    let outcome = try portfolio(["validate", samples, "--out", out])
    #expect(outcome.status == 64)
    #expect(firstLine(outcome).hasPrefix("portfolio validate: another run is using \(out) right now"))
    #expect(FileManager.default.contents(atPath: out + "/report.json") == Data("the run's report".utf8))
  }

  /// Packages, receipts, rosters and the ledger are owner-only even under umask 0.
  @Test func whatCarriesIDNumbersIsOwnerOnly() throws {
    defer { try? FileManager.default.removeItem(atPath: root) }
    let out = root + "/presubmit"
    let outcome = try SystemTool.run(
      "/bin/sh",
      [
        "-c", "umask 0 && exec \"$0\" run \"$1\" --output \"$2\"", CLI.binary.path,
        CLI.repository.path + "/pipelines/presubmit.yml", out,
      ])
    #expect(outcome.status == 1, "the samples hold rejected files")
    func mode(_ path: String) -> mode_t {
      var info = stat()
      return stat(path, &info) == 0 ? info.st_mode & 0o777 : 0
    }
    for folder in ["packages", "rosters", "ledger-backups"] { #expect(mode(out + "/" + folder) == 0o700, "\(folder)") }
    let files =
      ["ledger.sqlite"]
      + ["packages", "rosters", "ledger-backups"].flatMap { folder in
        ((try? FileManager.default.contentsOfDirectory(atPath: out + "/" + folder)) ?? []).map { folder + "/" + $0 }
      }
    #expect(files.contains { $0.hasSuffix("_receipt.txt") } && files.contains { $0.hasSuffix(".xlsx") })
    for file in files { #expect(mode(out + "/" + file) == 0o600, "\(file)") }
    #expect(mode(out + "/report.html") == 0o644, "reports without ID numbers are readable")
  }

  /// The shipped transfer-import pipeline, run from anywhere: its package is found beside the
  /// pipeline file, and a refusal's reason is in report.json.
  @Test func theTransferImportPipelineWorksFromAnyFolder() throws {
    defer { try? FileManager.default.removeItem(atPath: root) }
    let drop = root + "/school-b"
    try FileManager.default.copyItem(atPath: samples, toPath: drop)
    let export = try CLI.run(
      ["run", "pipelines/transfer-export.yml"], in: CLI.repository.path, environment: Self.epoch)
    #expect(export.status == 1, "\(export.stderr)")
    let outcome = try portfolio([
      "run", CLI.repository.path + "/pipelines/transfer-import.yml", "--drop", drop, "--output", root + "/in",
    ])
    #expect(outcome.status == 1)
    #expect(outcome.stdout.contains("import: 313302_transfer_110001.zip refused; nothing was added to the drop"))
    let report = try String(contentsOfFile: root + "/in/report.json", encoding: .utf8)
    #expect(report.contains("\"code\" : \"import-conflict\""), "the reason is in report.json")
    #expect(!outcome.stdout.contains("corrupt-archive"))
  }
}
