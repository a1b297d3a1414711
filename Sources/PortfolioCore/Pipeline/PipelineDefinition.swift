import Foundation
import Logging
import Yams

#if canImport(Glibc)
  import Glibc
#endif

/// A pipeline definition from `pipelines/*.yml`: its stages, folders and options.
public struct PipelineDefinition: Sendable, Equatable {
  public enum StageName: String, Sendable, CaseIterable {
    case scan, validate, notices, report, package, roster, check, export
    case importPackage = "import"
    case receipts
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
  /// Only this shard's students (`--shard`); the run then writes `shard.json` for the merge.
  public var shard: Shard?

  public init(name: String, drop: String, output: String, stages: [Stage]) {
    self.name = name
    self.drop = drop
    self.output = output
    self.stages = stages
  }

  /// The options each stage accepts.
  public static let options: [StageName: Set<String>] = [
    .scan: [], .validate: ["jobs"], .notices: [], .report: [], .package: ["kind", "year", "student"],
    .roster: ["year", "term"],
    .check: [],
    .export: ["student"], .importPackage: ["package", "from-school"],
    .receipts: ["receipt", "submitted", "password-file"],
  ]
  static let topLevelKeys: Set<String> = ["name", "description", "drop", "output", "stages"]

  /// Parses and checks a definition; every problem is found before any work starts.
  public static func parse(_ text: String, source: String) throws(PipelineError) -> PipelineDefinition {
    let loaded: Any?
    do {
      loaded = try Yams.load(yaml: text)
    } catch {
      throw .invalid(source, "not valid YAML: \(error)")
    }
    guard let root = loaded as? [String: Any] else {
      throw .invalid(source, "the file must be a mapping with name, drop, output and stages")
    }
    if let unknown = root.keys.filter({ !topLevelKeys.contains($0) }).sorted().first {
      throw .invalid(source, "unknown key \"\(unknown)\" (allowed: \(topLevelKeys.sorted().joined(separator: ", ")))")
    }
    func string(_ key: String) throws(PipelineError) -> String {
      guard let value = root[key] else { throw .invalid(source, "\"\(key)\" is required") }
      return "\(value)"
    }
    guard let list = root["stages"] as? [Any], !list.isEmpty else {
      throw .invalid(source, "\"stages\" must be a non-empty list")
    }
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
        throw .invalid(
          source,
          "stage \(index + 1): unknown stage \"\(stageName)\" (stages: \(StageName.allCases.map(\.rawValue).joined(separator: ", ")))"
        )
      }
      let allowed = Self.options[name] ?? []
      if let unknown = options.keys.filter({ !allowed.contains($0) }).sorted().first {
        throw .invalid(
          source,
          "stage \(stageName): unknown option \"\(unknown)\" (allowed: \(allowed.isEmpty ? "none" : allowed.sorted().joined(separator: ", ")))"
        )
      }
      try checkValues(name, options, source: source)
      stages.append(Stage(name: name, options: options))
    }
    try checkProducts(stages, source: source)
    return PipelineDefinition(
      name: try string("name"), drop: try string("drop"), output: try string("output"), stages: stages)
  }

  static func checkValues(_ stage: StageName, _ options: [String: String], source: String) throws(PipelineError) {
    if let jobs = options["jobs"], !(Int(jobs).map { (1...64).contains($0) } ?? false) {
      throw .invalid(source, "stage \(stage.rawValue): jobs must be 1–64")
    }
    if stage == .package {
      guard let kind = options["kind"], ["central", "transfer"].contains(kind) else {
        throw .invalid(source, "stage package: kind must be central or transfer")
      }
      if kind == "central", !(options["year"].flatMap(Int.init).map { AcademicYears.valid.contains($0) } ?? false) {
        throw .invalid(source, "stage package: a central package needs year (\(AcademicYears.text))")
      }
    }
    if stage == .roster {
      guard options["year"].flatMap(Int.init).map({ AcademicYears.valid.contains($0) }) ?? false else {
        throw .invalid(source, "stage roster: year (\(AcademicYears.text)) is required")
      }
      if let term = options["term"], !["1", "2"].contains(term) {
        throw .invalid(source, "stage roster: term must be 1 or 2")
      }
    }
    if stage == .export, !(options["student"].map(Identifiers.isStudentNumber) ?? false) {
      throw .invalid(source, "stage export: student is required")
    }
    if stage == .importPackage, options["package"] == nil || options["from-school"] == nil {
      throw .invalid(source, "stage import: package and from-school are required")
    }
    if stage == .receipts, options["receipt"] == nil {
      throw .invalid(source, "stage receipts: receipt (the zip from the central database) is required")
    }
  }

  /// Stages that need the whole school at once, not one shard of its students.
  static let wholeSchool: Set<StageName> = [.roster, .importPackage, .receipts]

  /// Refuses a sharded run of a stage that is not per student (before any work).
  public func checkShardable() throws(PipelineError) {
    guard let shard, let stage = stages.first(where: { Self.wholeSchool.contains($0.name) }) else { return }
    let why =
      stage.name == .roster
      ? "the rosters (名冊) list every student of a school in one workbook; run roster on the whole drop (one school fits one machine)"
      : stage.name == .receipts
        ? "a receipt covers the whole school's rosters"
        : "import adds to the drop directory, which the shards only read"
    throw .invalid(name, "stage \(stage.name.rawValue) cannot run as shard \(shard): \(why)")
  }

  /// Reads a pipeline file. Its relative paths (drop, output, an import's package, a receipt's
  /// files) are relative
  /// to the file's own folder, so a pipeline means the same wherever it is run from.
  public static func load(path: String) throws -> PipelineDefinition {
    try PathCheck.file(path, role: .pipelineFile)
    let bytes: [UInt8]
    switch FileSystem.readSmallFile(path, maxBytes: 1 << 20) {
    case .success(let read): bytes = read
    case .failure(let failure):
      throw DropPreflight.unreadable(path, failure, what: "the pipeline file", code: .notAFile)
    }
    guard let text = String(validating: bytes, as: UTF8.self) else {
      throw PipelineError.invalid(
        path, "is not UTF-8 text (saved as \(TextEncoding.guess(bytes).name)); save it as UTF-8")
    }
    var definition = try parse(text, source: path)
    let folder = path.contains("/") ? String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)]) : "."
    definition.drop = relative(definition.drop, to: folder)
    definition.output = relative(definition.output, to: folder)
    for index in definition.stages.indices {
      for key in ["package", "receipt", "submitted", "password-file"] {
        if let value = definition.stages[index].options[key], value != "-" {
          definition.stages[index].options[key] = relative(value, to: folder)
        }
      }
    }
    return definition
  }

  /// `path` as seen from the current folder when it was written relative to `folder`.
  static func relative(_ path: String, to folder: String) -> String {
    guard !path.hasPrefix("/"), folder != "." else { return path }
    var parts: [Substring] = []
    for part in (folder + "/" + path).split(separator: "/") {
      if part == "." { continue }
      if part == "..", let last = parts.last, last != ".." {
        parts.removeLast()
      } else {
        parts.append(part)
      }
    }
    let joined = parts.joined(separator: "/")
    return folder.hasPrefix("/") ? "/" + joined : (joined.isEmpty ? "." : joined)
  }
}

public enum PipelineError: Error, CustomStringConvertible {
  case invalid(String, String)
  case busy(String)

  public var description: String {
    switch self {
    case .invalid(let source, let reason): "\(source): \(reason)"
    case .busy(let output):
      "another run is using \(output) right now; this run stopped before doing anything (try again when it ends)"
    }
  }
}
