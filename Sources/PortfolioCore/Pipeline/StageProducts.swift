/// What a stage makes for the stages after it, and what it needs from the stages before it —
/// declared by each stage type and checked when the pipeline is loaded: a stage that needs a
/// product no earlier stage makes is a definition error (exit 64), never a silent fallback at
/// run time.
public enum StageProduct: Hashable, Sendable, CustomStringConvertible {
  /// The inventory of the drop.
  case scan
  /// Every file and item judged (report.json's content).
  case validation
  /// The central packages of one academic year, written this run (who is in the rosters).
  case centralPackages(year: Int)
  /// The students a notices stage wrote a notice for (what the staff report links).
  case notices
  /// The staff report's section of a receipts stage.
  case receiptSection

  public var description: String {
    switch self {
    case .scan: "a scan"
    case .validation: "a validation"
    case .centralPackages(let year): "the central packages of \(year)"
    case .notices: "notices"
    case .receiptSection: "a receipt check"
    }
  }

  /// The stage that makes it, as a definition would name it.
  var madeBy: String {
    switch self {
    case .scan: "scan or validate"
    case .validation: "validate"
    case .centralPackages(let year): "package (kind: central, year: \(year))"
    case .notices: "notices"
    case .receiptSection: "receipts"
    }
  }
}

/// A product with the type of its value: stages put and read products only through these typed
/// keys, so what a stage gets is what the maker put — the compiler checks the type, the
/// load-time check that it was made.
struct Product<Value: Sendable>: Sendable {
  let kind: StageProduct
}

extension Product where Value == DropScan {
  static var scan: Self { Self(kind: .scan) }
}

extension Product where Value == Validation {
  static var validation: Self { Self(kind: .validation) }
}

extension Product where Value == [String: BuiltPackage] {
  /// The central packages of `year` built this run, by student number (written, or with no
  /// item selected: the rosters list both).
  static func centralPackages(year: Int) -> Self { Self(kind: .centralPackages(year: year)) }
}

extension Product where Value == [String] {
  /// The student numbers a notices stage wrote a notice for.
  static var notices: Self { Self(kind: .notices) }
}

extension Product where Value == String {
  /// The staff report's section (HTML) of a receipts stage.
  static var receiptSection: Self { Self(kind: .receiptSection) }
}

/// The products the stages of one run have made so far.
struct Products {
  private var values: [StageProduct: any Sendable] = [:]

  mutating func put<Value>(_ product: Product<Value>, _ value: Value) { values[product.kind] = value }

  /// The product, when an earlier stage made it (for what a stage uses if it is there).
  func made<Value>(_ product: Product<Value>) -> Value? { values[product.kind] as? Value }

  /// A product the stage declared it needs (so the load-time check guarantees an earlier stage
  /// makes it).
  func needed<Value>(_ product: Product<Value>, by stage: String) throws(PipelineError) -> Value {
    guard let value = made(product) else {
      throw .invalid(stage, "needs \(product.kind): put a \(product.kind.madeBy) stage before it")
    }
    return value
  }
}

extension PipelineDefinition {
  /// The first need of a stage that no earlier stage meets, as a definition error: each stage
  /// type declares its own needs and products (`PipelineStage.needs`, `.makes`).
  static func checkProducts(_ stages: [Stage], source: String) throws(PipelineError) {
    var made = Set<StageProduct>()
    for stage in stages {
      let typed = try stage.typed()
      if let missing = typed.needs.first(where: { !made.contains($0) }) {
        throw .invalid(
          source, "stage \(stage.name.rawValue) needs \(missing): put a \(missing.madeBy) stage before it")
      }
      made.formUnion(typed.makes)
    }
  }
}
