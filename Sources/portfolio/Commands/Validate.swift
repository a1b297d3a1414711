import ArgumentParser
import Foundation
import PortfolioCore

struct Validate: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Check every file and item by content and policy year; write report.json and rejections.csv.",
    discussion: """
      Reads each file once: libmagic on its first bytes, SHA-256, and its own structures \
      (PDF, PNG, JPEG, MP4, MP3). Writes <out>/report.json and <out>/rejections.csv (UTF-8 \
      with BOM, opens in Excel) and prints a one-screen summary. Never writes into the drop.
      """)

  @OptionGroup var io: DropAndOutput
  var drop: String { io.drop }
  var out: String { io.out }
  @OptionGroup var workers: JobsOption
  var jobs: Int { workers.jobs }
  @OptionGroup var sharding: ShardOption

  func run() throws {
    if let shard = sharding.parsed {
      var definition = PipelineDefinition(
        name: "validate", drop: drop, output: out,
        stages: [.init(name: .validate, options: ["jobs": String(jobs)])])
      definition.shard = shard
      return try runPipeline(definition, command: "validate")
    }
    let validation: Validation
    let workspace: Workspace
    do {
      workspace = try Workspace.open(drop: drop, out: out)
      let table = try PolicyTable.bundled()
      let isolation = InspectionIsolation.workers(of: table)
      isolation.startWorkersAhead(jobs: jobs, table: table)
      let scan = try DropScanner(jobs: jobs).scan(drop, basics: workspace.basics)
      validation = try Validator(table: table, options: ValidationOptions(jobs: jobs, isolation: isolation))
        .validate(scan, progress: ProgressMeter(label: "validating"))
    } catch {
      throw stopped("validate", error)
    }
    defer { withExtendedLifetime(workspace) {} }
    let report = ValidationReport(validation)
    do {
      try AtomicFile.makeFolder(out)
      try report.write(to: out)
    } catch {
      printError("portfolio validate: cannot write the report: \(error)")
      throw ExitCode(64)
    }
    print(report.terminalSummary(outputFolder: out))
    if report.summary.errors > 0 { throw ExitCode(1) }
  }
}
