import ArgumentParser
import Foundation
import PortfolioCore

/// The drop directory a command reads and the folder it writes. Both are checked before any
/// work by ``Workspace/open(drop:out:)``, so that nothing is ever written inside the drop.
struct DropAndOutput: ParsableArguments {
  @Argument(help: "The drop directory.", completion: .directory)
  var drop: String

  @Option(help: "Output folder (created if needed; never inside the drop directory).")
  var out: String
}

/// What a command that reads a drop and writes a folder checks before any work, in this order:
/// the output path (a folder, or one that can be made; writable; outside the drop by real path),
/// the drop itself (school.json and the tables, ``DropPreflight``), then the output folder's
/// lock, held until the command ends. Any fault is exit 64 with nothing written.
struct Workspace {
  let basics: DropBasics
  let lock: OutputLock

  static func open(drop: String, out: String) throws -> Workspace {
    try PathCheck.output(out, drop: drop)
    let basics = try DropPreflight.check(drop)
    return Workspace(basics: basics, lock: try OutputLock(folder: out))
  }
}

/// Prints why a command stopped and returns exit 64 (usage or environment). An environment
/// fault is found before any output is touched, and the message says so.
func stopped(_ command: String, _ error: any Error) -> ExitCode {
  printError("portfolio \(command): \(error)")
  if error is EnvironmentError || error is PipelineError {
    printError("  Nothing was written: the outputs of earlier runs are unchanged.（沒有寫入任何檔案，先前的輸出保持不變。）")
  }
  return ExitCode(64)
}

/// Whether validation rejected anything (of one student, when given): the command exits 1.
func rejectedAnything(_ validation: Validation, student: String? = nil) -> Bool {
  validation.findings.contains { $0.severity == .error && (student == nil || $0.studentNumber == student) }
}

/// The parallel workers of a command that reads files.
struct JobsOption: ParsableArguments {
  @Option(help: "Parallel workers reading files (1–64).")
  var jobs: Int = 2

  func validate() throws {
    guard (1...64).contains(jobs) else { throw ValidationError("--jobs must be between 1 and 64") }
  }
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
  let shard = definition.shard.map { " shard \($0)" } ?? ""
  let header = "pipeline \(definition.name)\(shard): \(definition.drop) → \(definition.output)"
  // Each stage's lines are printed when that stage ends; the header when the work starts.
  final class Told { var started = false }
  let told = Told()
  runner.onLines = { lines in
    if !told.started { print(header) }
    told.started = true
    for line in lines { print("  \(line)") }
    fflush(nil)  // every C stream: print writes through stdout, buffered when it is a pipe
  }
  let outcome: PipelineOutcome
  do {
    runner.isolation = .workers(of: try PolicyTable.bundled())
    outcome = try runner.run()
  } catch {
    throw stopped(command, error)
  }
  if !told.started {  // skipped: nothing changed since the last run
    print(header)
    for line in outcome.lines { print("  \(line)") }
  }
  if outcome.status != 0 { throw ExitCode(outcome.status) }
}
