import ArgumentParser
import Foundation
import Logging
import PortfolioCore

#if canImport(Glibc)
  import Glibc
#endif

/// Logs: quiet on a terminal (progress shows there), JSON lines on stderr otherwise.
enum Logs {
  static let bootstrapped: Void = {
    if isatty(STDERR_FILENO) == 1 {
      LoggingSystem.bootstrap { label in
        var handler = StreamLogHandler.standardError(label: label)
        handler.logLevel = .warning
        return handler
      }
    } else {
      LoggingSystem.bootstrap { JSONLinesLogHandler(label: $0) }
    }
  }()

  static func logger(_ label: String) -> Logger {
    _ = bootstrapped
    return Logger(label: label)
  }
}

struct Run: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract:
      "Run a pipeline definition from pipelines/*.yml (nightly, presubmit, national, transfer-export, transfer-import).",
    discussion: """
      The definition is checked completely before any work starts: an unknown stage or option \
      is a usage error (exit 64). One run per output folder at a time: a second run refuses \
      within two seconds. Relative paths in the file are relative to the file's folder; --drop and --output \
      to the current folder. SOURCE_DATE_EPOCH pins the run's date (notices, report, packages).
      """)

  @Argument(help: "The pipeline file.", completion: .file(extensions: ["yml", "yaml"]))
  var pipeline: String

  @Option(help: "Use this drop directory instead of the definition's.")
  var drop: String?

  @Option(help: "Use this output folder instead of the definition's.")
  var output: String?

  @OptionGroup var sharding: ShardOption

  @Option(help: "Parallel workers of every validate stage (1–64), instead of the definition's.")
  var jobs: Int?

  func validate() throws {
    if let jobs, !(1...64).contains(jobs) { throw ValidationError("--jobs must be between 1 and 64") }
  }

  func run() throws {
    var definition: PipelineDefinition
    do {
      definition = try PipelineDefinition.load(path: pipeline)
    } catch {
      throw stopped("run", error)
    }
    if let drop { definition.drop = drop }
    if let output { definition.output = output }
    if let jobs {
      for index in definition.stages.indices where definition.stages[index].name == .validate {
        definition.stages[index].options["jobs"] = String(jobs)
      }
    }
    definition.shard = sharding.parsed
    // The runner checks the paths and the drop before it touches the output folder.
    try runPipeline(definition, command: "run \(definition.name)")
  }
}
