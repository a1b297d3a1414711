import Foundation
import Logging

#if canImport(Glibc)
  import Glibc
#endif

/// What a pipeline run did.
public struct PipelineOutcome: Sendable {
  /// The validation of a run that validated the school whole (`nil` for a run in parts: its
  /// outputs hold it).
  public var validation: Validation?
  /// report.json's counts, and how many files were read (not unchanged), when validate ran.
  public var summary: ValidationReport.Summary?
  public var filesRead: Int?
  /// 0 nothing rejected, 1 something rejected or refused.
  public var status: Int32
  public var lines: [String]
}

/// Runs a pipeline definition: the stages in order over one shared state, outputs written
/// through temporary names, the ledger in one transaction per run, one run per output folder,
/// and the whole run skipped when a read-only pipeline sees an unchanged drop.
public struct PipelineRunner {
  public let definition: PipelineDefinition
  public let date: Date
  public var logger: Logger
  public var progress: ProgressMeter?
  /// Where the validate stage parses uploads (the command-line tool: isolated workers).
  public var isolation: InspectionIsolation = .inProcess
  /// Told the run's lines as soon as they are known, so that a terminal follows the run: the
  /// lines before the first stage (ledger recovery) once the checks passed and the work
  /// starts, then each stage's lines when that stage ends. A run skipped because nothing
  /// changed tells nothing here (its outcome has the lines).
  public var onLines: (([String]) -> Void)?

  public init(definition: PipelineDefinition, date: Date, logger: Logger, progress: ProgressMeter? = nil) {
    self.definition = definition
    self.date = date
    self.logger = logger
    self.progress = progress
  }

  public func run() throws -> PipelineOutcome {
    let output = definition.output
    // Everything that can be wrong with the definition, the paths or the drop is found before
    // the output folder is touched: last run's outputs stay exactly as they were.
    try definition.checkShardable()
    var stages = try definition.stages.map { stage throws(PipelineError) in (stage.name, try stage.typed()) }
    try PathCheck.output(output, drop: definition.drop)
    for case let stage as ImportStage in stages.map(\.1) { try PathCheck.zip(stage.package, role: .package) }
    let basics = try DropPreflight.check(definition.drop)
    // A receipt is read and compared whole before anything is written (its problems are exit 64).
    for index in stages.indices {
      guard var stage = stages[index].1 as? ReceiptsStage else { continue }
      try stage.prepare(drop: definition.drop, output: output)
      stages[index].1 = stage
    }
    let table = try PolicyTable.bundled()
    let lock = try OutputLock(folder: output)
    defer { withExtendedLifetime(lock) {} }
    removeStaleTemporaries(output)
    let shared = definition.shard.map { _ in DropFingerprint.shared(definition.drop) }
    let fingerprint = stages.allSatisfy { $0.1.readsOnly } ? skipFingerprint(table) : nil
    let (ledger, health) = try LedgerStore.open(folder: output, now: date)
    for note in health.notes {
      logger.warning("ledger recovery: \(note)", metadata: ["pipeline": "\(definition.name)"])
    }
    if let fingerprint, health.state == .healthy, let skipped = try skippedRun(ledger, fingerprint: fingerprint) {
      return skipped
    }
    if definition.shard != nil {
      // This shard's result of an earlier run is ours to remove: until this run ends, the merge
      // must see this shard as unfinished, never yesterday's result as today's.
      unlink(output + "/" + ShardResult.fileName)
    }
    if let validate = stages.lazy.compactMap({ $0.1 as? ValidateStage }).first {
      isolation.startWorkersAhead(jobs: validate.jobs, table: table)
    }
    var state = PipelineState(
      definition: definition, date: date, table: table, progress: progress, ledger: ledger, ledgerHealth: health,
      isolation: isolation, basics: basics)
    state.parts = PartedOutputs.plan(definition)
    state.outcome.lines += health.notes.map { "ledger: " + $0 }
    onLines?(state.outcome.lines)
    for (name, stage) in stages {
      let started = Date()
      let told = state.outcome.lines.count
      var metadata = try stage.run(&state)
      HeapTrim.release()  // what the stage built and dropped goes back before the next one
      onLines?(Array(state.outcome.lines[told...]))
      metadata["pipeline"] = "\(definition.name)"
      metadata["stage"] = "\(name.rawValue)"
      metadata["seconds"] = "\(String(format: "%.3f", Date().timeIntervalSince(started)))"
      logger.info("stage finished", metadata: metadata)
    }
    // A complete run: keep a backup of the ledger and the certified content as plain CSV.
    try LedgerStore.afterRun(ledger, folder: output)
    if let shard = definition.shard, let shared {
      try writeShardResult(state, shard: shard, dropFingerprint: shared)
    }
    if let fingerprint {
      // Recorded last: a run killed before this point is simply done again next time.
      try ledger.setState([
        "fingerprint": fingerprint, "status": String(state.outcome.status),
        // A recovery is news once: a skipped run repeats the lines, not the recovery.
        "lines": state.outcome.lines.filter { !$0.hasPrefix("ledger: ") }.joined(separator: "\n"),
      ])
    }
    return state.outcome
  }

  /// Same drop (by stat), program, policy table, pipeline (canonical text) and day.
  func skipFingerprint(_ table: PolicyTable) -> String {
    return [
      DropFingerprint.compute(definition.drop, shard: definition.shard), definition.shard?.description ?? "all",
      Ledger.programStamp, table.contentHash,
      definition.stages.map(\.canonical).joined(separator: "; "),
      SchoolClock.day(date, in: SchoolSettings.defaultTimeZone),
    ].joined(separator: "|")
  }

  /// The outcome of the last complete run when nothing changed since: its outputs are in place.
  func skippedRun(_ ledger: Ledger, fingerprint: String) throws -> PipelineOutcome? {
    guard try ledger.state("fingerprint") == fingerprint, let status = try ledger.state("status").flatMap(Int32.init)
    else { return nil }
    let lines = (try ledger.state("lines") ?? "").split(separator: "\n").map(String.init)
    logger.info("drop unchanged; run skipped", metadata: ["pipeline": "\(definition.name)"])
    return PipelineOutcome(
      validation: nil, status: status, lines: lines + ["unchanged since the last run: nothing read, outputs kept"])
  }

  /// `shard.json`, written last and atomically: its presence tells the merge this shard is done.
  func writeShardResult(_ state: PipelineState, shard: Shard, dropFingerprint: String) throws {
    var result = ShardResult(
      shard: shard, program: Ledger.programStamp, drop: definition.drop, dropFingerprint: dropFingerprint,
      pipeline: definition.name, stages: definition.stages.map(\.canonical),
      ranAt: ISO8601DateFormatter().string(from: date), status: state.outcome.status, lines: state.outcome.lines,
      validation: state.products.made(.validation).map(ShardResult.ValidationPart.init))
    result.packageLists = state.packageLists
    if let stream = state.parts?.shardResult {  // validated in parts: its lines are waiting
      return try stream.finish(
        result, ledgerNotes: state.ledgerHealth.notes, policyTable: state.table.fingerprint,
        to: definition.output + "/" + ShardResult.fileName)
    }
    try result.write(to: definition.output + "/" + ShardResult.fileName)
  }

  /// Temporary files of a run that was killed: never visible under a final name, removed now.
  func removeStaleTemporaries(_ output: String) {
    for folder in [output, output + "/notices", output + "/packages"] {
      for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
      where name.hasPrefix(".") && (name.contains(".tmp-") || name.contains(".partial-")) {
        unlink(folder + "/" + name)
      }
    }
  }
}
