import Foundation
import PortfolioCore
import TestSupport
import Testing

/// Untrusted bytes are parsed in disposable worker processes: a C library that crashes, aborts,
/// spins, stalls or eats memory on one upload (simulated by an LD_PRELOAD shim in place of
/// libmagic's `magic_buffer`) costs that one file an `inspection-failed` finding, and every
/// other file and finding of the run is exactly what a run without the fault gives.
@Suite(.serialized) struct IsolationTests {
  /// The shim, built once per test run with gcc from `Tests/FaultShim/fault-shim.c`.
  static let shim: String = {
    let output = FileManager.default.temporaryDirectory.appendingPathComponent("fault-shim-\(getpid()).so").path
    let source = CLI.repository.appendingPathComponent("Tests/FaultShim/fault-shim.c").path
    _ = try? SystemTool.run("/usr/bin/gcc", ["-shared", "-fPIC", "-o", output, source, "-ldl"])
    return output
  }()

  /// One student with three ordinary files and one hostile PDF carrying `marker`.
  func drop(marker: String) throws -> TestDrop {
    let drop = try TestDrop()
    try drop.copyFixture("image_png--diagram.png", to: "uploads/110001/mp-112-0001/diagram.png")
    try drop.item("110001", "mp-112-0001", files: ["diagram.png"])
    try drop.copyFixture("application_pdf--report.pdf", to: "uploads/110001/mp-112-0002/report.pdf")
    try drop.item("110001", "mp-112-0002", files: ["report.pdf"])
    try drop.copyFixture("image_jpeg--jfif-photo.jpg", to: "uploads/110001/mp-112-0003/photo.jpg")
    try drop.item("110001", "mp-112-0003", files: ["photo.jpg"])
    var hostile = try Data(contentsOf: URL(fileURLWithPath: TestDrop.sniffFixture("application_pdf--report.pdf")))
    hostile.append(Data("%\(marker)\n".utf8))
    if marker == "FAULT:SIGBUS" {
      // Mapped, not read (1 MiB and more), with the marker where libmagic looks: the SIGBUS
      // arrives while the mapping's handler is installed and the upload mapped.
      hostile = Data("%PDF-1.7\n%\(marker)\n".utf8) + Data(repeating: 0x20, count: 1_200_000)
    }
    try drop.write("uploads/110001/mp-112-0004/hostile.pdf", hostile)
    try drop.item("110001", "mp-112-0004", files: ["hostile.pdf"])
    return drop
  }

  struct Report {
    var status: Int32
    var files: [String: [String: Any]]
    var findings: [[String: Any]]
    var text: String
  }

  func validate(_ drop: TestDrop, environment: [String: String]) throws -> Report {
    let out = drop.root + "-out-\(UUID().uuidString)"
    defer { try? FileManager.default.removeItem(atPath: out) }
    let outcome = try CLI.run(["validate", drop.root, "--out", out], environment: environment)
    let data = try Data(contentsOf: URL(fileURLWithPath: out + "/report.json"))
    let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    let files = try #require(json["files"] as? [[String: Any]])
    let findings = try #require(json["findings"] as? [[String: Any]])
    return Report(
      status: outcome.status,
      files: Dictionary(uniqueKeysWithValues: files.map { ($0["path"] as? String ?? "", $0) }), findings: findings,
      text: outcome.stdout + outcome.stderr)
  }

  static let hostilePath = "uploads/110001/mp-112-0004/hostile.pdf"

  /// The findings not on the hostile file, as comparable text.
  func others(_ findings: [[String: Any]]) -> [String] {
    findings.filter { $0["file"] as? String != Self.hostilePath && $0["itemId"] as? String != "mp-112-0004" }
      .map { "\($0["code"] ?? "") \($0["file"] ?? "") \($0["message_en"] ?? "")" }.sorted()
  }

  @Test(arguments: [
    ("FAULT:SEGV", "crash", "SIGSEGV"), ("FAULT:ABRT", "crash", "SIGABRT"), ("FAULT:SIGBUS", "crash", "SIGBUS"),
    ("FAULT:SPIN", "time", ""),
    ("FAULT:STALL", "time", ""), ("FAULT:MEMORY", "memory", ""),
  ])
  func aFaultInsideACLibraryCostsOneFileOneFinding(marker: String, reason: String, observed: String) throws {
    #expect(FileManager.default.fileExists(atPath: Self.shim), "gcc could not build the fault shim")
    let drop = try drop(marker: marker)
    defer { drop.remove() }
    let limits = [WorkerLimits.secondsVariable: "2", WorkerLimits.memoryVariable: "128"]
    let clean = try validate(drop, environment: limits)
    let faulted = try validate(drop, environment: limits.merging(["LD_PRELOAD": Self.shim]) { $1 })
    #expect(faulted.status == 1, "\(faulted.text)")
    // The hostile file: no record, one finding, with what happened as evidence.
    #expect(faulted.files[Self.hostilePath] == nil)
    let onHostile = faulted.findings.filter { $0["file"] as? String == Self.hostilePath }
    #expect(onHostile.count == 1)
    let finding = try #require(onHostile.first)
    #expect(finding["code"] as? String == "inspection-failed")
    let details = try #require(finding["details"] as? [String: String])
    #expect(details["reason"] == reason)
    if !observed.isEmpty { #expect(details["observed"] == observed) }
    switch reason {
    case "memory": #expect(details["limit"] == String(128 * 1_048_576))
    case "time": #expect(details["limit"] == "2")
    default: #expect(details["limit"] == "0")
    }
    #expect((finding["message_zh"] as? String)?.contains("「hostile.pdf」") == true)
    // Everything else: exactly what the run without the fault established.
    #expect(others(faulted.findings) == others(clean.findings))
    for (path, record) in clean.files where path != Self.hostilePath {
      let same = try #require(faulted.files[path], "\(path) is missing from the faulted run")
      #expect(NSDictionary(dictionary: same).isEqual(to: record), "\(path) differs")
    }
    #expect(faulted.files.count == clean.files.count - 1)
  }

  @Test func withoutAFaultTheWorkersGiveTheInProcessAnswers() throws {
    let drop = try drop(marker: "nothing to see")
    defer { drop.remove() }
    let isolated = try validate(drop, environment: [:])
    let table = try PolicyTable.bundled()
    let inProcess = try Validator(table: table, options: ValidationOptions(jobs: 2, isolation: .inProcess))
      .validate(drop.root)
    #expect(isolated.files.count == inProcess.files.count)
    for record in inProcess.files {
      let other = try #require(isolated.files[record.path])
      #expect(other["sha256"] as? String == record.sha256)
      #expect(other["mime"] as? String == record.mime)
      #expect(other["verdict"] as? String == record.verdict.rawValue)
      #expect(other["pages"] as? Int == record.pages)
    }
    #expect(isolated.findings.map { $0["code"] as? String ?? "" } == inProcess.findings.map(\.code.rawValue))
  }

  @Test func aPackageThatCrashesTheCheckerFailsAloneAndIsNotImported() throws {
    let drop = try drop(marker: "FAULT:SEGV")
    let out = drop.root + "-export"
    defer {
      drop.remove()
      try? FileManager.default.removeItem(atPath: out)
    }
    // Without the shim the PDF is an ordinary upload, exported in the transfer package.
    let export = try CLI.run(["export", drop.root, "--student", "110001", "--out", out])
    let package = out + "/packages/313302_transfer_110001.zip"
    #expect(FileManager.default.fileExists(atPath: package), "\(export.stdout)\(export.stderr)")
    #expect(try CLI.run(["check", package]).status == 0)
    // With the shim, libmagic crashes on that entry inside the checking worker.
    let shimmed = [WorkerLimits.secondsVariable: "5", "LD_PRELOAD": Self.shim]
    let checked = try CLI.run(["check", "--json", package, package], environment: shimmed)
    #expect(checked.status == 1)
    let verdicts = try #require(
      try JSONSerialization.jsonObject(with: Data(checked.stdout.utf8)) as? [[String: Any]])
    #expect(verdicts.count == 2)
    for verdict in verdicts {
      #expect(verdict["passed"] as? Bool == false)
      let findings = try #require(verdict["findings"] as? [[String: Any]])
      #expect(findings.map { $0["code"] as? String } == ["inspection-failed"])
      #expect((findings.first?["details"] as? [String: String])?["reason"] == "crash")
    }
    // import refuses it the same way and leaves the receiving drop as it was.
    let receiving = try TestDrop()
    defer { receiving.remove() }
    let before = receiving.fingerprint()
    let imported = try CLI.run(
      ["import", package, "--into", receiving.root, "--from-school", "313302"], environment: shimmed)
    #expect(imported.status == 1, "\(imported.stdout)\(imported.stderr)")
    #expect(imported.stdout.contains("inspection-failed"), "\(imported.stdout)")
    #expect(receiving.fingerprint() == before)
  }

  /// Every command that validates a drop uses the workers: a crash costs one file, never the run.
  @Test(arguments: [
    ["notices"], ["export", "--student", "110001"], ["package", "--kind", "transfer"], ["roster", "--year", "112"],
  ])
  func everyValidatingCommandSurvivesACrashingLibrary(command: [String]) throws {
    let drop = try drop(marker: "FAULT:SEGV")
    let out = drop.root + "-cmd-\(UUID().uuidString)"
    defer {
      drop.remove()
      try? FileManager.default.removeItem(atPath: out)
    }
    let arguments = [command[0], drop.root] + command.dropFirst() + ["--out", out]
    let outcome = try CLI.run(arguments, environment: ["LD_PRELOAD": Self.shim])
    #expect(outcome.status == 0 || outcome.status == 1, "\(arguments): \(outcome.status) \(outcome.stderr)")
    #expect(!outcome.stderr.contains("Fatal error"))
    if command[0] == "notices" {
      let notice = try String(contentsOfFile: out + "/110001.txt", encoding: .utf8)
      #expect(notice.contains("系統檢查「hostile.pdf」時，檢查程式異常結束"), "\(notice)")
    }
  }
}
