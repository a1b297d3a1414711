import ArgumentParser
import Foundation
import PortfolioCore

/// The drop directory a command reads and the folder it writes: checked once, for every
/// command that writes, so that nothing is ever written inside the drop.
struct DropAndOutput: ParsableArguments {
  @Argument(help: "The drop directory.", completion: .directory)
  var drop: String

  @Option(help: "Output folder (created if needed; never inside the drop directory).")
  var out: String

  func validate() throws {
    if isInsideDrop(out, drop: drop) {
      throw ValidationError("--out must not be inside the drop directory: the pipeline never writes there")
    }
  }
}

/// The parallel workers of a command that reads files.
struct JobsOption: ParsableArguments {
  @Option(help: "Parallel workers reading files (1–64).")
  var jobs: Int = 2

  func validate() throws {
    guard (1...64).contains(jobs) else { throw ValidationError("--jobs must be between 1 and 64") }
  }
}

/// Whether `output` is the drop directory or inside it (symbolic links resolved): the
/// pipeline never writes there.
func isInsideDrop(_ output: String, drop: String) -> Bool {
  let dropPath = URL(fileURLWithPath: drop).standardizedFileURL.resolvingSymlinksInPath().path
  let outputPath = URL(fileURLWithPath: output).standardizedFileURL.resolvingSymlinksInPath().path
  return outputPath == dropPath || outputPath.hasPrefix(dropPath + "/")
}

func printError(_ text: String) {
  FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// `--shard INDEX/COUNT`: only the students whose number hashes to INDEX of COUNT.
struct ShardOption: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "Only the students of shard INDEX/COUNT (e.g. 0/4); writes shard.json for `portfolio merge`.",
      valueName: "INDEX/COUNT"))
  var shard: String?

  var parsed: Shard? { shard.flatMap(Shard.init) }

  func validate() throws {
    if let shard, Shard(shard) == nil {
      throw ValidationError("--shard must be INDEX/COUNT with 0 ≤ INDEX < COUNT ≤ \(Shard.maxCount), e.g. 0/4")
    }
  }
}

/// Runs `definition` through the pipeline runner (its ledger, and `shard.json` for a shard, in
/// the output folder) and prints what it did; the exit status is the run's. `command` prefixes
/// error messages (`run nightly`, `validate`).
func runPipeline(_ definition: PipelineDefinition, command: String) throws {
  var runner = PipelineRunner(
    definition: definition, date: Packager.generationDate(),
    logger: Logs.logger("portfolio." + (command.split(separator: " ").first.map(String.init) ?? command)),
    progress: ProgressMeter(label: "validating"))
  let outcome: PipelineOutcome
  do {
    runner.isolation = .workers(of: try PolicyTable.bundled())
    outcome = try runner.run()
  } catch {
    printError("portfolio \(command): \(error)")
    throw ExitCode(64)
  }
  let shard = definition.shard.map { " shard \($0)" } ?? ""
  print("pipeline \(definition.name)\(shard): \(definition.drop) → \(definition.output)")
  for line in outcome.lines { print("  \(line)") }
  if outcome.status != 0 { throw ExitCode(outcome.status) }
}
