/// What a finding rests on: what was observed, what was expected, and which source said so
/// ("libmagic: image/png" observed, "name says .jpg" expected, source "libmagic").
///
/// Written into `details` of report.json as `observed`, `expected` and `source`, so that a
/// reader sees the basis of every verdict (siegfried's `basis`).
public struct Evidence: Sendable, Equatable {
  /// What the pipeline saw in the file, the metadata or the package.
  public var observed: String?
  /// What the rule required instead.
  public var expected: String?
  /// Who said so: `libmagic`, `item.json`, `students.csv`, a parser, a policy id, the ledger…
  public var source: String?

  public init(observed: String? = nil, expected: String? = nil, source: String? = nil) {
    self.observed = observed
    self.expected = expected
    self.source = source
  }

  /// No evidence at all (the finding's code and place say everything).
  public static let none = Evidence()

  var isEmpty: Bool { observed == nil && expected == nil && source == nil }

  static let keys = ["observed", "expected", "source"]

  /// The evidence as `details` entries.
  var entries: [String: String] {
    var entries: [String: String] = [:]
    if let observed { entries["observed"] = observed }
    if let expected { entries["expected"] = expected }
    if let source { entries["source"] = source }
    return entries
  }

  /// The evidence back from `details` entries (reading a report or a ledger row).
  init(entries: [String: String]) {
    self.init(observed: entries["observed"], expected: entries["expected"], source: entries["source"])
  }
}
