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
}
