import Foundation
import Logging

/// One stage of a pipeline behind one protocol; the runner owns their order, the output lock
/// and the skip fingerprint, and each stage reads and adds to the run's state.
protocol PipelineStage {
  /// Whether the stage only reads the drop and writes reports (a run of only such stages may
  /// be skipped when nothing changed).
  var readsOnly: Bool { get }
  /// The products of earlier stages it reads (checked when the pipeline is loaded).
  var needs: [StageProduct] { get }
  /// The products it makes for later stages.
  var makes: [StageProduct] { get }
  /// Does the stage's work; returns what it logs.
  func run(_ state: inout PipelineState) throws -> Logger.Metadata
}

extension PipelineStage {
  var needs: [StageProduct] { [] }
  var makes: [StageProduct] { [] }
}

/// What the stages of one run share.
struct PipelineState {
  let definition: PipelineDefinition
  let date: Date
  let table: PolicyTable
  let progress: ProgressMeter?
  /// The output folder's ledger, checked (and recovered if it had to be) before any stage.
  let ledger: Ledger
  let ledgerHealth: LedgerHealth
  let isolation: InspectionIsolation
  /// school.json and the tables, read and checked before the run touched its outputs.
  let basics: DropBasics
  /// What the stages made for later ones (a validation, the central packages of a year, …),
  /// each under its typed key.
  var products = Products()
  /// Why an import stage refused its package (a later validate stage reports them).
  var importRefusals: [Finding] = []
  /// The rosters written in this run, relative to the output folder (for the staff report).
  var rosterFiles: [String] = []
  /// The package lists of the run's package stages, in stage order (packages.csv).
  var packageLists: [[PackageListing]] = []
  var outcome = PipelineOutcome(validation: nil, status: 0, lines: [])
  /// The outputs of a run validated a part at a time (`nil`: the school is validated whole).
  var parts: PartedOutputs?

  var output: String { definition.output }
  /// The shard this run is (`nil`: the whole drop).
  var shard: Shard? { definition.shard }

  mutating func refused() { outcome.status = 1 }
}

extension PipelineDefinition.Stage {
  /// The typed stage of this definition entry (options were checked when the file was read).
  func typed() throws(PipelineError) -> any PipelineStage {
    switch name {
    case .scan: return ScanStage()
    case .validate: return ValidateStage(jobs: options["jobs"].flatMap(Int.init) ?? 2)
    case .notices: return NoticesStage()
    case .report: return ReportStage()
    case .package:
      return PackageStage(
        kind: options["kind"] == "transfer" ? .transfer : .central, year: options["year"].flatMap(Int.init),
        student: options["student"], label: "package")
    case .export: return PackageStage(kind: .transfer, year: nil, student: options["student"], label: "export")
    case .check: return CheckStage()
    case .roster:
      guard let year = options["year"].flatMap(Int.init) else { throw .invalid("roster", "year is required") }
      return RosterStage(year: year, term: options["term"].flatMap(Int.init))
    case .importPackage:
      guard let package = options["package"], let school = options["from-school"] else {
        throw .invalid("import", "package and from-school are required")
      }
      return ImportStage(package: package, fromSchool: school)
    case .receipts:
      guard let receipt = options["receipt"] else { throw .invalid("receipts", "receipt is required") }
      return ReceiptsStage(receipt: receipt, submitted: options["submitted"], passwordFile: options["password-file"])
    }
  }

  /// The stage as canonical text for the skip fingerprint (options sorted by name).
  public var canonical: String {
    ([name.rawValue] + options.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }).joined(separator: " ")
  }
}
