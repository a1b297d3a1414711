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
