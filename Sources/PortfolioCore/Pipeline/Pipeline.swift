import Foundation
import Logging
import Yams

#if canImport(Glibc)
  import Glibc
#endif

/// A pipeline definition from `pipelines/*.yml`: its stages, folders and options.
public struct PipelineDefinition: Sendable, Equatable {
  public enum StageName: String, Sendable, CaseIterable {
    case scan, validate, notices, report, package, check, export
    case importPackage = "import"
  }

  public struct Stage: Sendable, Equatable {
    public var name: StageName
    public var options: [String: String]

    public init(name: StageName, options: [String: String]) {
      self.name = name
      self.options = options
    }
  }

  public var name: String
  public var drop: String
  public var output: String
  public var stages: [Stage]

  public init(name: String, drop: String, output: String, stages: [Stage]) {
    self.name = name
    self.drop = drop
    self.output = output
    self.stages = stages
  }

  /// The options each stage accepts.
  public static let options: [StageName: Set<String>] = [
    .scan: [], .validate: ["jobs"], .notices: [], .report: [], .package: ["kind", "year", "student"], .check: [],
    .export: ["student"], .importPackage: ["package", "from-school"],
  ]
  static let topLevelKeys: Set<String> = ["name", "description", "drop", "output", "stages"]
  /// Stages that need the results of `validate` earlier in the same pipeline.
  static let needsValidation: Set<StageName> = [.notices, .report, .package, .export]

  /// Parses and checks a definition; every problem is found before any work starts.
  public static func parse(_ text: String, source: String) throws(PipelineError) -> PipelineDefinition {
    let loaded: Any?
    do {
      loaded = try Yams.load(yaml: text)
    } catch {
      throw .invalid(source, "not valid YAML: \(error)")
    }
    guard let root = loaded as? [String: Any] else { throw .invalid(source, "the file must be a mapping with name, drop, output and stages") }
    if let unknown = root.keys.filter({ !topLevelKeys.contains($0) }).sorted().first {
      throw .invalid(source, "unknown key \"\(unknown)\" (allowed: \(topLevelKeys.sorted().joined(separator: ", ")))")
    }
    func string(_ key: String) throws(PipelineError) -> String {
      guard let value = root[key] else { throw .invalid(source, "\"\(key)\" is required") }
      return "\(value)"
    }
    guard let list = root["stages"] as? [Any], !list.isEmpty else { throw .invalid(source, "\"stages\" must be a non-empty list") }
    var stages: [Stage] = []
    for (index, entry) in list.enumerated() {
      let stageName: String
      var options: [String: String] = [:]
      if let plain = entry as? String {
        stageName = plain
      } else if let mapping = entry as? [String: Any], mapping.count == 1, let (key, value) = mapping.first {
        stageName = key
        if let settings = value as? [String: Any] {
          for (option, optionValue) in settings { options[option] = "\(optionValue)" }
        } else if !(value is NSNull) {
          throw .invalid(source, "stage \(index + 1) (\(key)): options must be a mapping")
        }
      } else {
        throw .invalid(source, "stage \(index + 1) must be a stage name or a mapping of one stage name to its options")
      }
      guard let name = StageName(rawValue: stageName) else {
        throw .invalid(source, "stage \(index + 1): unknown stage \"\(stageName)\" (stages: \(StageName.allCases.map(\.rawValue).joined(separator: ", ")))")
      }
      let allowed = Self.options[name] ?? []
      if let unknown = options.keys.filter({ !allowed.contains($0) }).sorted().first {
        throw .invalid(
          source, "stage \(stageName): unknown option \"\(unknown)\" (allowed: \(allowed.isEmpty ? "none" : allowed.sorted().joined(separator: ", ")))")
      }
      if Self.needsValidation.contains(name), !stages.contains(where: { $0.name == .validate }) {
        throw .invalid(source, "stage \(stageName) needs a validate stage before it")
      }
      try checkValues(name, options, source: source)
      stages.append(Stage(name: name, options: options))
    }
    return PipelineDefinition(name: try string("name"), drop: try string("drop"), output: try string("output"), stages: stages)
  }

  static func checkValues(_ stage: StageName, _ options: [String: String], source: String) throws(PipelineError) {
    if let jobs = options["jobs"], !(Int(jobs).map { (1...64).contains($0) } ?? false) {
      throw .invalid(source, "stage \(stage.rawValue): jobs must be 1–64")
    }
    if stage == .package {
      guard let kind = options["kind"], ["central", "transfer"].contains(kind) else {
        throw .invalid(source, "stage package: kind must be central or transfer")
      }
      if kind == "central", !(options["year"].flatMap(Int.init).map { (108...199).contains($0) } ?? false) {
        throw .invalid(source, "stage package: a central package needs year (108–199)")
      }
    }
    if stage == .export, !(options["student"].map(Identifiers.isStudentNumber) ?? false) {
      throw .invalid(source, "stage export: student is required")
    }
    if stage == .importPackage, options["package"] == nil || options["from-school"] == nil {
      throw .invalid(source, "stage import: package and from-school are required")
    }
  }

  public static func load(path: String) throws(PipelineError) -> PipelineDefinition {
    guard case .success(let bytes) = FileSystem.readSmallFile(path, maxBytes: 1 << 20), let text = String(validating: bytes, as: UTF8.self)
    else { throw .invalid(path, "cannot be read as a UTF-8 file") }
    return try parse(text, source: path)
  }
}

public enum PipelineError: Error, CustomStringConvertible {
  case invalid(String, String)
  case busy(String)

  public var description: String {
    switch self {
    case .invalid(let source, let reason): "\(source): \(reason)"
    case .busy(let output): "another run is using \(output) right now; this run stopped before doing anything (try again when it ends)"
    }
  }
}

/// An exclusive lock on an output folder, held for the whole run and released by the
/// operating system if the run dies (`flock`).
public final class OutputLock {
  private let fd: Int32

  public init(folder: String) throws {
    try AtomicFile.makeFolder(folder)
    let path = folder + "/.lock"
    fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw SystemError(call: "open", path: path, errno: errno) }
    guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
      close(fd)
      throw PipelineError.busy(folder)
    }
  }

  deinit { close(fd) }
}

/// What a pipeline run did.
public struct PipelineOutcome: Sendable {
  public var validation: Validation?
  /// 0 nothing rejected, 1 something rejected or refused.
  public var status: Int32
  public var lines: [String]
}

/// Runs a pipeline definition: stages in order, one shared validation, outputs written
/// through temporary names, the ledger in one transaction per run, one run per output folder.
public struct PipelineRunner {
  public let definition: PipelineDefinition
  public let date: Date
  public var logger: Logger
  public var progress: ProgressMeter?

  public init(definition: PipelineDefinition, date: Date, logger: Logger, progress: ProgressMeter? = nil) {
    self.definition = definition
    self.date = date
    self.logger = logger
    self.progress = progress
  }

  public func run() throws -> PipelineOutcome {
    let output = definition.output
    let lock = try OutputLock(folder: output)
    defer { withExtendedLifetime(lock) {} }
    removeStaleTemporaries(output)
    let table = try PolicyTable.bundled()
    var outcome = PipelineOutcome(validation: nil, status: 0, lines: [])
    // A run whose stages only read the drop and write reports can be skipped entirely when
    // nothing changed since the last complete run: same drop (by stat), program, policy table,
    // pipeline and day. Its outputs are already in place.
    let readOnly = definition.stages.allSatisfy { [.scan, .validate, .notices, .report].contains($0.name) }
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "Asia/Taipei")
    formatter.dateFormat = "yyyy-MM-dd"
    let fingerprint = readOnly
      ? [DropFingerprint.compute(definition.drop), Ledger.programStamp, table.fingerprint, "\(definition.stages)",
         formatter.string(from: date)].joined(separator: "|") : nil
    let ledgerPath = output + "/ledger.sqlite"
    if let fingerprint, FileManager.default.fileExists(atPath: ledgerPath) {
      let ledger = try Ledger(path: ledgerPath)
      if try ledger.state("fingerprint") == fingerprint, let status = try ledger.state("status").flatMap(Int32.init) {
        outcome.status = status
        outcome.lines = (try ledger.state("lines") ?? "").split(separator: "\n").map(String.init)
          + ["unchanged since the last run: nothing read, outputs kept"]
        logger.info("drop unchanged; run skipped", metadata: ["pipeline": "\(definition.name)"])
        return outcome
      }
    }
    var scan: DropScan?
    var noticeStudents: [String]?
    let stamp = ISO8601DateFormatter().string(from: date)
    for stage in definition.stages {
      let started = Date()
      var metadata: Logger.Metadata = ["pipeline": "\(definition.name)", "stage": "\(stage.name.rawValue)"]
      switch stage.name {
      case .scan:
        let result = try DropScanner().scan(definition.drop)
        scan = result
        try AtomicFile.write(Array(try ScanReport(result).json()) + [0x0A], to: output + "/scan.json")
        let inventory = Inventory(result)
        metadata["items"] = "\(inventory.items)"
        metadata["files"] = "\(inventory.files)"
        outcome.lines.append("scan: \(inventory.items) items, \(inventory.files) files, \(inventory.itemsStillUploading) still uploading")
      case .validate:
        let ledger = try Ledger(path: output + "/ledger.sqlite")
        let jobs = Int(stage.options["jobs"] ?? "2") ?? 2
        let current = try scan ?? DropScanner(jobs: jobs).scan(definition.drop)
        let memory = try ledger.memory()
        let validation = try Validator(table: table, options: ValidationOptions(jobs: jobs))
          .validate(current, memory: memory, progress: progress)
        let report = ValidationReport(validation)
        try AtomicFile.write(try report.json(), to: output + "/report.json")
        try AtomicFile.write(try report.rejectionsCSV(), to: output + "/rejections.csv")
        try ledger.record(validation, at: stamp, memory: memory)
        outcome.validation = validation
        if report.summary.errors > 0 { outcome.status = 1 }
        metadata["files"] = "\(validation.files.count)"
        metadata["filesRead"] = "\(validation.filesRead)"
        metadata["bytesRead"] = "\(validation.bytesRead)"
        metadata["errors"] = "\(report.summary.errors)"
        metadata["warnings"] = "\(report.summary.warnings)"
        outcome.lines.append(
          "validate: \(report.summary.files) files (\(validation.filesRead) read, \(report.summary.files - validation.filesRead) unchanged), "
            + "\(report.summary.errors) errors, \(report.summary.warnings) warnings")
      case .notices:
        let written = try NoticeWriter(validation: outcome.validation!, date: date).write(into: output + "/notices")
        noticeStudents = written.map(\.studentNumber)
        metadata["notices"] = "\(written.count)"
        outcome.lines.append("notices: \(written.count) students → \(output)/notices/")
      case .report:
        let validation = outcome.validation!
        let students = noticeStudents ?? NoticeWriter(validation: validation, date: date).notices().map(\.studentNumber)
        let links = Dictionary(students.map { ($0, "notices/\($0).html") }, uniquingKeysWith: { a, _ in a })
        let html = StaffReport(validation: validation, date: date, noticeLinks: links).html()
        try AtomicFile.write(Array(html.utf8), to: output + "/report.html")
        outcome.lines.append("report: \(output)/report.html")
      case .package, .export:
        let kind: PackageManifest.Kind = stage.name == .export || stage.options["kind"] == "transfer" ? .transfer : .central
        let packager = try Packager(
          validation: outcome.validation!, kind: kind, academicYear: stage.options["year"].flatMap(Int.init), generatedAt: date)
        let results = try packager.writeAll(into: output + "/packages", only: stage.options["student"])
        let refused = results.filter { $0.path == nil }
        if !refused.isEmpty { outcome.status = 1 }
        metadata["written"] = "\(results.count - refused.count)"
        metadata["refused"] = "\(refused.count)"
        outcome.lines.append("\(stage.name.rawValue): \(results.count - refused.count) packages written, \(refused.count) refused")
        for result in refused {
          outcome.lines.append("  refused \(result.studentNumber): " + result.refusals.map { "\($0.code.rawValue) — \($0.messageEN)" }.joined(separator: "; "))
        }
      case .check:
        let checker = PackageChecker(table: table, schema: try ManifestSchema.load())
        let folder = output + "/packages"
        let zips = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".zip") && !$0.hasPrefix(".") }.sorted()
        let failed = zips.map { checker.check(path: folder + "/" + $0) }.filter { !$0.passed }
        if !failed.isEmpty { outcome.status = 1 }
        outcome.lines.append("check: \(zips.count - failed.count) of \(zips.count) packages pass")
      case .importPackage:
        let importer = Importer(table: table, schema: try ManifestSchema.load())
        let result = try importer.importPackage(
          path: stage.options["package"]!, into: definition.drop, fromSchool: stage.options["from-school"]!, now: date)
        if !result.refusals.isEmpty { outcome.status = 1 }
        outcome.lines.append(
          "import: " + (result.refusals.isEmpty ? "\(result.imported.count) items imported, \(result.alreadyPresent.count) already present"
            : "refused (\(result.refusals.map(\.code.rawValue).joined(separator: ", ")))"))
      }
      metadata["seconds"] = "\(String(format: "%.3f", Date().timeIntervalSince(started)))"
      logger.info("stage finished", metadata: metadata)
    }
    if let fingerprint {
      // Recorded last: a run killed before this point is simply done again next time.
      try Ledger(path: ledgerPath).setState([
        "fingerprint": fingerprint, "status": String(outcome.status), "lines": outcome.lines.joined(separator: "\n"),
      ])
    }
    return outcome
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

/// Quiet structured logs for runs without a terminal: one JSON object per line on stderr.
/// Callers never put names or ID numbers in messages or metadata.
public struct JSONLinesLogHandler: LogHandler {
  public var metadata: Logger.Metadata = [:]
  public var logLevel: Logger.Level = .info
  let label: String

  public init(label: String) { self.label = label }

  public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
    get { metadata[key] }
    set { metadata[key] = newValue }
  }

  public func log(event: LogEvent) {
    var fields: [String: String] = ["level": event.level.rawValue, "message": "\(event.message)", "logger": label]
    fields["time"] = ISO8601DateFormatter().string(from: Date())
    for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { _, new in new }) { fields[key] = "\(value)" }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    if let data = try? encoder.encode(fields) { FileHandle.standardError.write(data + Data([0x0A])) }
  }
}
