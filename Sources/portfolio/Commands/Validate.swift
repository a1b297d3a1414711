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
    let workspace: Workspace
    let table: PolicyTable
    do {
      workspace = try Workspace.open(drop: drop, out: out)
      table = try PolicyTable.bundled()
    } catch {
      throw stopped("validate", error)
    }
    defer { withExtendedLifetime(workspace) {} }
    // A few hundred students at a time, each part's rows written as it is judged.
    let isolation = InspectionIsolation.workers(of: table)
    isolation.startWorkersAhead(jobs: jobs, table: table)
    let summary: ValidationReport.Summary
    do {
      try AtomicFile.makeFolder(out)
      summary = try Validator(table: table, options: ValidationOptions(jobs: jobs, isolation: isolation))
        .writeReports(
          drop: drop, basics: workspace.basics, into: out,
          progress: ProgressMeter(label: "validating", unit: "students"))
    } catch {
      printError("portfolio validate: cannot write the report: \(error)")
      throw ExitCode(64)
    }
    print(
      ValidationReport.terminalSummary(
        summary, drop: drop, schoolCode: workspace.basics.school.schoolCode, outputFolder: out))
    if summary.errors > 0 { throw ExitCode(1) }
  }
}
