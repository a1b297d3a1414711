/// What a stage makes for the stages after it, and what it needs from the stages before it —
/// declared per stage and checked when the pipeline is loaded: a stage that needs a product no
/// earlier stage makes is a definition error (exit 64), never a silent fallback at run time.
public enum StageProduct: Hashable, Sendable, CustomStringConvertible {
  /// The inventory of the drop.
  case scan
  /// Every file and item judged (report.json's content).
  case validation
  /// The central packages of one academic year, written this run (who is in the rosters).
  case centralPackages(year: Int)

  public var description: String {
    switch self {
    case .scan: "a scan"
    case .validation: "a validation"
    case .centralPackages(let year): "the central packages of \(year)"
    }
  }

  /// The stage that makes it, as a definition would name it.
  var madeBy: String {
    switch self {
    case .scan: "scan or validate"
    case .validation: "validate"
    case .centralPackages(let year): "package (kind: central, year: \(year))"
    }
  }
}

extension PipelineDefinition.Stage {
  /// What this stage needs from earlier stages.
  var needs: [StageProduct] {
    switch name {
    case .notices, .report, .package, .export: [.validation]
    case .roster: [.validation] + (options["year"].flatMap(Int.init).map { [.centralPackages(year: $0)] } ?? [])
    case .scan, .validate, .check, .importPackage, .receipts: []
    }
  }

  /// What this stage makes for later stages.
  var makes: [StageProduct] {
    switch name {
    case .scan: [.scan]
    case .validate: [.scan, .validation]
    case .package where options["kind"] == "central" && options["student"] == nil:
      options["year"].flatMap(Int.init).map { [.centralPackages(year: $0)] } ?? []
    case .package, .export, .notices, .report, .roster, .check, .importPackage, .receipts: []
    }
  }
}

extension PipelineDefinition {
  /// The first need of a stage that no earlier stage meets, as a definition error.
  static func checkProducts(_ stages: [Stage], source: String) throws(PipelineError) {
    var made = Set<StageProduct>()
    for stage in stages {
      if let missing = stage.needs.first(where: { !made.contains($0) }) {
        throw .invalid(
          source, "stage \(stage.name.rawValue) needs \(missing): put a \(missing.madeBy) stage before it")
      }
      made.formUnion(stage.makes)
    }
  }
}
