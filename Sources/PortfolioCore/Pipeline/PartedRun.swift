import Foundation
import Logging
import Synchronization

/// The nightly run a part at a time: when a pipeline's stages are `scan`, `validate`, `notices`
/// and `report` (any of them but validate left out, in that order), the validate stage validates the school a few hundred students at a time (`PartedValidation`)
/// and hands each part, as soon as it is judged, to every output that needs it — scan.json,
/// report.json and rejections.csv, the ledger, the notices, the staff report — then lets it
/// go. What the run holds is one part, the outputs' counts and the ledger's memory, not the
/// school. The outputs are the bytes a whole-school validation writes (tested).
///
/// The later stages then only finish what was written for them; the scan stage's inventory
/// line comes with the validate stage's, once the last part is scanned. A shard's parts go to
/// its scan.json, its ledger and its `shard.json` (`ShardResultStream`); the merge writes the
/// rest.
final class PartedOutputs {
  let writesScan: Bool
  let writesNotices: Bool
  let writesReport: Bool
  /// Made by the validate stage, finished by the notices and report stages.
  var notices: NoticeParts?
  var report: StaffReportParts?
  /// A shard's `shard.json`, written by the runner when the run ends.
  var shardResult: ShardResultStream?

  init(writesScan: Bool, writesNotices: Bool, writesReport: Bool) {
    (self.writesScan, self.writesNotices, self.writesReport) = (writesScan, writesNotices, writesReport)
  }

  /// The parted run of `definition`, when its stages allow one.
  static func plan(_ definition: PipelineDefinition) -> PartedOutputs? {
    let names = definition.stages.map(\.name)
    let order: [PipelineDefinition.StageName] = [.scan, .validate, .notices, .report]
    guard names.contains(.validate), Set(names).count == names.count,
      names.allSatisfy(order.contains), names == order.filter(names.contains)
    else { return nil }
    // A shard leaves the notices and the staff report to the merge.
    let whole = definition.shard == nil
    return PartedOutputs(
      writesScan: names.contains(.scan), writesNotices: whole && names.contains(.notices),
      writesReport: whole && names.contains(.report))
  }
}

extension ValidateStage {
  /// The validate stage of a parted run: see `PartedOutputs`.
  func runInParts(_ state: inout PipelineState, _ outputs: PartedOutputs) throws -> Logger.Metadata {
    let output = state.output
    let basics = state.basics
    let spool = try? TextSpool(folder: output)
    let validator = Validator(
      table: state.table, options: ValidationOptions(jobs: jobs, isolation: state.isolation, spool: spool))
    let schoolCode = basics.school.schoolCode
    // A shard's findings go into shard.json; the merge writes report.json and rejections.csv.
    let reports =
      state.shard == nil
      ? try ReportStream(folder: output, drop: state.definition.drop, schoolCode: schoolCode, table: state.table) : nil
    if state.shard != nil { outputs.shardResult = try ShardResultStream(folder: output) }
    var summary = ValidationReport.Summary.zero
    let scanJSON =
      outputs.writesScan
      ? try ScanReportStream(path: output + "/scan.json", drop: state.definition.drop, schoolCode: schoolCode) : nil
    if outputs.writesNotices { outputs.notices = try NoticeParts(folder: output + "/notices", date: state.date) }
    if outputs.writesReport {
      outputs.report = try StaffReportParts(folder: output, date: state.date, table: state.table)
    }
    let progress = state.progress.map {
      ProgressMeter(label: "validating", unit: "students", enabled: $0.enabled)
    }
    let writers = PartWriters(
      scanJSON: scanJSON, reports: reports, shardResult: outputs.shardResult, notices: outputs.notices,
      report: outputs.report)
    var counts = (filesRead: 0, bytesRead: Int64(0))
    var parted = PartedValidation(validator: validator, size: PartedValidation.defaultSize)
    parted.shard = state.shard
    try state.ledger.recording(at: ISO8601DateFormatter().string(from: state.date)) { ledger in
      // What the ledger remembers is read a part at a time too (its rows of the part's students).
      let memory = { [ledger] (students: ArraySlice<String>) in try ledger.memory(of: Array(students)) }
      try parted.run(drop: state.definition.drop, basics: basics, progress: progress, memory: memory) {
        part, remembered in
        try writers.whileAdding(part) {
          summary.add(part)
          try ledger.add(part, memory: remembered)
        }
        counts.filesRead += part.filesRead
        counts.bytesRead += part.bytesRead
      }
    }
    HeapTrim.release()
    try reports?.finish(ledgerNotes: state.ledgerHealth.notes)
    if let scanJSON {
      try scanJSON.finish()
      state.outcome.lines.append(scanJSON.inventory.line)
    }
    state.outcome.summary = summary
    state.outcome.filesRead = counts.filesRead
    if summary.errors > 0 { state.refused() }
    state.outcome.lines.append(Self.line(summary, filesRead: counts.filesRead))
    return [
      "files": "\(summary.files)", "filesRead": "\(counts.filesRead)", "bytesRead": "\(counts.bytesRead)",
      "errors": "\(summary.errors)", "warnings": "\(summary.warnings)",
    ]
  }
}

/// The outputs of a parted run that do not touch the ledger — scan.json, report.json and
/// rejections.csv, shard.json, the notices, the staff report — given each part on a thread of
/// their own while the stage's thread records it in the ledger (whose open transaction belongs
/// to that thread): the two are the longest steps of writing a part, and neither needs the
/// other. Each writer is used by one thread at a time — the side thread while a part is
/// written, the stage's thread once `whileAdding` has waited for it — hence `@unchecked`.
final class PartWriters: @unchecked Sendable {
  let scanJSON: ScanReportStream?
  let reports: ReportStream?
  let shardResult: ShardResultStream?
  let notices: NoticeParts?
  let report: StaffReportParts?

  init(
    scanJSON: ScanReportStream?, reports: ReportStream?, shardResult: ShardResultStream?, notices: NoticeParts?,
    report: StaffReportParts?
  ) {
    (self.scanJSON, self.reports, self.shardResult) = (scanJSON, reports, shardResult)
    (self.notices, self.report) = (notices, report)
  }

  /// Hands `part` to every writer, in this order (the staff report links the notices written).
  func add(_ part: Validation) throws {
    try scanJSON?.add(part.scan)
    try reports?.add(part)
    try shardResult?.add(part)
    let written = try notices?.add(part) ?? []
    try report?.add(part, noticeLinks: Dictionary(written.map { ($0, "notices/\($0).html") }) { a, _ in a })
  }

  /// Runs `body` on this thread while the writers take `part` on another; returns once both
  /// are done, throwing `body`'s error first, then the writers'.
  func whileAdding(_ part: Validation, _ body: () throws -> Void) throws {
    let failure = SideFailure()
    let done = DispatchSemaphore(value: 0)
    DispatchQueue.global().async { [self] in
      do { try add(part) } catch { failure.error.withLock { $0 = error } }
      done.signal()
    }
    var bodyError: (any Error)?
    do { try body() } catch { bodyError = error }
    done.wait()
    if let bodyError { throw bodyError }
    if let error = failure.error.withLock({ $0 }) { throw error }
  }
}

/// What the writers' thread failed with, if anything.
private final class SideFailure: Sendable {
  let error = Mutex<(any Error)?>(nil)
}
