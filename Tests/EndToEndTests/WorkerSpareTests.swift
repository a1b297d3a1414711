import Foundation
import TestSupport
import Testing

@testable import PortfolioCore

#if canImport(Glibc)
  import Glibc
#endif

/// Workers started ahead (while the drop is scanned) are used by the slots that match them, and
/// a spare that died while it waited never costs a file an `inspection-failed` finding.
@Suite(.serialized) struct WorkerSpareTests {
  let table: PolicyTable
  let setup: WorkerProtocol.Setup
  let executable = CLI.binary.path

  init() throws {
    table = try PolicyTable.bundled()
    setup = WorkerProtocol.Setup(
      maxParsedBytes: Int(table.largestLimit), parseLimits: table.images, limits: table.workers)
  }

  func validate(jobs: Int) throws -> Validation {
    let drop = try TestDrop()
    defer { drop.remove() }
    try drop.copyFixture("image_png--diagram.png", to: "uploads/110001/mp-112-0001/diagram.png")
    try drop.item("110001", "mp-112-0001", files: ["diagram.png"])
    try drop.copyFixture("application_pdf--report.pdf", to: "uploads/110001/mp-112-0002/report.pdf")
    try drop.item("110001", "mp-112-0002", files: ["report.pdf"])
    let isolation = InspectionIsolation.workers(executable: executable, limits: table.workers)
    return try Validator(table: table, options: ValidationOptions(jobs: jobs, isolation: isolation))
      .validate(drop.root)
  }

  @Test func aSpareIsTakenOnlyByASlotWithTheSameSetup() throws {
    let isolation = InspectionIsolation.workers(executable: executable, limits: table.workers)
    isolation.startWorkersAhead(jobs: 1, table: table)
    var other = setup
    other.maxParsedBytes += 1
    #expect(WorkerSpares.take(executable: executable, setup: other) == nil)
    #expect(WorkerSpares.take(executable: "/bin/true", setup: setup) == nil)
    let spare = try #require(WorkerSpares.take(executable: executable, setup: setup))
    #expect(spare.kill() == .signalled(SIGKILL))  // it was alive, waiting for work
    #expect(WorkerSpares.take(executable: executable, setup: setup) == nil)
  }

  @Test func aSpareThatDiedWhileItWaitedIsReplacedWithoutAFinding() throws {
    let dead = try IsolatedInspector.start(executable, setup)
    _ = Glibc.kill(dead.pid, SIGKILL)
    WorkerSpares.keep(dead, executable: executable, setup: setup)
    let validation = try validate(jobs: 1)
    #expect(WorkerSpares.take(executable: executable, setup: setup) == nil, "the dead spare was taken")
    #expect(validation.findings.map(\.code) == [])
    #expect(validation.files.map(\.verdict) == [.accepted, .accepted])
    #expect(validation.files.map(\.mime) == ["image/png", "application/pdf"])
  }

  /// A worker runs with glibc's larger cache of small blocks, added to the tunables it inherits;
  /// a count set there already is left as it is.
  @Test func aWorkerKeepsMoreSmallBlocksForReuse() throws {
    let child = try IsolatedInspector.start(executable, setup)
    defer { _ = child.kill() }
    // Its answer to the setup first: the process has its environment in place (right after the
    // spawn returns, the kernel may not have laid it out yet).
    let deadline = DispatchTime.now().uptimeNanoseconds + 30_000_000_000
    let header = try child.receive(4, deadline: deadline, watch: {})
    let reply = try child.receive(WorkerProtocol.length(header), deadline: deadline, watch: {})
    guard case .ready = WorkerWire.reply(reply) else {
      Issue.record("the worker did not say it was ready")
      return
    }
    let environ = try Data(contentsOf: URL(fileURLWithPath: "/proc/\(child.pid)/environ"))
    let entries = environ.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
    let inherited = ProcessInfo.processInfo.environment["GLIBC_TUNABLES"]
    let expected = IsolatedInspector.workerEnvironment(inheriting: ProcessInfo.processInfo.environment)
    #expect(entries.contains("GLIBC_TUNABLES=" + (expected["GLIBC_TUNABLES"] ?? "")))
    if inherited == nil {
      #expect(entries.contains("GLIBC_TUNABLES=glibc.malloc.tcache_count=1000"))
    }
    #expect(
      IsolatedInspector.workerEnvironment(inheriting: [:])["GLIBC_TUNABLES"] == "glibc.malloc.tcache_count=1000")
    #expect(
      IsolatedInspector.workerEnvironment(inheriting: ["GLIBC_TUNABLES": "glibc.malloc.arena_max=2"])["GLIBC_TUNABLES"]
        == "glibc.malloc.arena_max=2:glibc.malloc.tcache_count=1000")
    #expect(
      IsolatedInspector.workerEnvironment(inheriting: ["GLIBC_TUNABLES": "glibc.malloc.tcache_count=5"])[
        "GLIBC_TUNABLES"] == "glibc.malloc.tcache_count=5")
  }
}
