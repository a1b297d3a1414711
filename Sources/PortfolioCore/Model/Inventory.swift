import Foundation

/// The counts `scan` reports: what a drop directory holds.
public struct Inventory: Codable, Sendable, Equatable {
  public var studentsInRoster: Int
  public var studentsWithItems: Int
  public var items: Int
  public var itemsByKind: [String: Int]
  public var itemsUnusable: Int
  public var itemsStillUploading: Int
  public var files: Int
  public var bytes: Int64
  public var errors: Int
  public var warnings: Int
  public var findingsByCode: [String: Int]

  public init(_ scan: DropScan) {
    studentsInRoster = scan.roster.students.count
    studentsWithItems = Set(scan.items.map(\.studentNumber)).count
    items = scan.items.count
    itemsByKind = Dictionary(
      grouping: scan.items.compactMap { $0.manifest?.kind.rawValue }, by: { $0 }
    ).mapValues(\.count)
    itemsUnusable = scan.items.filter { $0.manifest == nil }.count
    itemsStillUploading = scan.pendingItems.count
    files = scan.items.reduce(0) { $0 + $1.files.count }
    bytes = scan.items.totalBytes { $0.files.totalBytes(\.bytes) }
    errors = scan.findings.filter { $0.severity == .error }.count
    warnings = scan.findings.count - errors
    findingsByCode = Dictionary(grouping: scan.findings.map(\.code.rawValue), by: { $0 }).mapValues(\.count)
  }
}

/// The JSON document `scan --json` prints.
public struct ScanReport: Codable, Sendable {
  public var generator: String
  public var drop: String
  public var schoolCode: String?
  public var inventory: Inventory
  public var itemsStillUploading: [String]
  public var findings: [Finding]

  public init(_ scan: DropScan) {
    generator = "portfolio \(PortfolioVersion.current)"
    drop = scan.drop
    schoolCode = scan.school?.schoolCode
    inventory = Inventory(scan)
    itemsStillUploading = scan.pendingItems
    findings = scan.findings
  }

  /// Stable JSON: sorted keys, pretty, slashes unescaped.
  public func json() throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return try encoder.encode(self)
  }
}

extension Inventory {
  /// The scan stage's line: items, files, items still uploading.
  var line: String {
    "scan: \(Plural.count(items, "item")), \(Plural.count(files, "file")), \(itemsStillUploading) still uploading"
  }

  /// Nothing scanned yet: where counting starts.
  static let zero = Inventory(
    DropScan(drop: "", school: nil, roster: Roster(), items: [], pendingItems: [], findings: []))

  /// Counts the next part of a scan in (its students are no other part's).
  mutating func add(_ part: Inventory) {
    studentsInRoster += part.studentsInRoster
    studentsWithItems += part.studentsWithItems
    items += part.items
    itemsByKind.merge(part.itemsByKind, uniquingKeysWith: +)
    itemsUnusable += part.itemsUnusable
    itemsStillUploading += part.itemsStillUploading
    files += part.files
    bytes = bytes.addingSaturated(part.bytes)
    errors += part.errors
    warnings += part.warnings
    findingsByCode.merge(part.findingsByCode, uniquingKeysWith: +)
  }
}

/// scan.json of a run scanned in parts: each part's findings written as it comes, its counts
/// added up, the items still uploading listed at the end — the bytes `ScanReport(scan).json()`
/// (and a line break) gives for the whole scan.
final class ScanReportStream {
  private let output: OpenOutput
  private var json = PrettyJSON(capacity: PrettyJSON.spillAt + 64 * 1024)
  private let schoolCode: String?
  private(set) var inventory = Inventory.zero
  private var pending: [String] = []

  init(path: String, drop: String, schoolCode: String?) throws {
    output = try OpenOutput(path: path)
    self.schoolCode = schoolCode
    json.spill = output.sink
    json.beginObject()
    json.key("drop")
    json.string(drop)
    json.key("findings")
    json.beginArray()
  }

  /// The next part's scan (parts come in student order).
  func add(_ part: DropScan) throws {
    for finding in part.findings {
      json.element()
      ValidationReport.write(finding, into: &json)
    }
    inventory.add(Inventory(part))
    pending += part.pendingItems
    if let failure = json.spillFailure { throw failure }
  }

  /// Ends scan.json and renames it into place.
  func finish() throws {
    json.endArray()
    json.key("generator")
    json.string("portfolio \(PortfolioVersion.current)")
    json.key("inventory")
    json.beginObject()
    json.key("bytes")
    json.integer(inventory.bytes)
    json.members(["errors": inventory.errors, "files": inventory.files])
    json.key("findingsByCode")
    json.integers(inventory.findingsByCode)
    json.key("items")
    json.integer(inventory.items)
    json.key("itemsByKind")
    json.integers(inventory.itemsByKind)
    json.members([
      "itemsStillUploading": inventory.itemsStillUploading, "itemsUnusable": inventory.itemsUnusable,
      "studentsInRoster": inventory.studentsInRoster, "studentsWithItems": inventory.studentsWithItems,
      "warnings": inventory.warnings,
    ])
    json.endObject()
    json.key("itemsStillUploading")
    json.strings(pending)
    if let schoolCode {
      json.key("schoolCode")
      json.string(schoolCode)
    }
    json.endObject()
    json.raw([0x0A])
    json.flush()
    if let failure = json.spillFailure { throw failure }
    try output.commit()
  }
}
