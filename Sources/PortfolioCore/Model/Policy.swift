import Digest
import Foundation

/// An academic year (民國) and term: the key every policy is chosen by.
public struct PolicyYear: Codable, Sendable, Comparable, Hashable, CustomStringConvertible {
  public var academicYear: Int
  public var term: Int

  public init(academicYear: Int, term: Int) {
    self.academicYear = academicYear
    self.term = term
  }

  public static func < (a: PolicyYear, b: PolicyYear) -> Bool {
    (a.academicYear, a.term) < (b.academicYear, b.term)
  }

  public var description: String { "\(academicYear)-\(term)" }
}

/// The file rules of one period: allowed content and inclusive size limits per role.
public struct Policy: Codable, Sendable, Equatable {
  public var id: String
  public var effectiveFrom: PolicyYear
  public var source: String
  public var limits: Limits
  public var allowed: Allowed

  public struct Limits: Codable, Sendable, Equatable {
    public var document: Int64
    public var media: Int64
    public var consultationDocument: Int64
  }

  public struct Allowed: Codable, Sendable, Equatable {
    public var document: [String]
    public var media: [String]
  }

  /// The inclusive byte limit for a file of `role` in an item of `kind`.
  public func limit(role: FileRole, kind: ItemKind) -> Int64 {
    switch (role, kind) {
    case (.document, .consultation): limits.consultationDocument
    case (.document, _): limits.document
    case (.media, _): limits.media
    }
  }

  public func allowedTypes(role: FileRole) -> [String] {
    role == .document ? allowed.document : allowed.media
  }
}

/// The versioned policy table (`Resources/policies.json`): data, not code.
public struct PolicyTable: Codable, Sendable, Equatable {
  public var tableVersion: String
  public var policies: [Policy]
  public var selectionLimits: SelectionLimits
  public var summary: TextLimits
  public var title: TitleLimits
  /// What the parsers refuse whatever the size in bytes (decompression bombs).
  public var images: ParseLimits
  /// What an isolated inspection worker may spend on one file.
  public var workers: WorkerLimits

  /// The largest size limit of any policy: files over it are never read beyond their first
  /// bytes (they are `too-large` whatever they hold).
  public var largestLimit: Int64 {
    policies.map { max($0.limits.document, $0.limits.media, $0.limits.consultationDocument) }.max() ?? 0
  }

  public struct SelectionLimits: Codable, Sendable, Equatable {
    public var courseOutcomesPerYear: Int
    public var multiplePerformancesPerYear: Int
  }

  public struct TextLimits: Codable, Sendable, Equatable {
    public var maxGraphemes: Int
    public var maxScalars: Int
  }

  public struct TitleLimits: Codable, Sendable, Equatable {
    public var maxGraphemes: Int
  }

  /// The table shipped with the program (`Resources/policies.json`, compiled in).
  public static func bundled() throws -> PolicyTable {
    guard !EmbeddedResources.policies.isEmpty else { throw PolicyError.missingTable }
    return try load(Data(EmbeddedResources.policies))
  }

  public static func load(_ data: Data) throws -> PolicyTable {
    let table = try JSONDecoder().decode(PolicyTable.self, from: data)
    guard !table.policies.isEmpty else { throw PolicyError.emptyTable }
    // The version is the date the table was decided (it is in every report's fingerprint).
    guard PeopleDates.day(iso: table.tableVersion) != nil else { throw PolicyError.badVersion(table.tableVersion) }
    let ids = table.policies.map(\.id)
    if let twice = ids.first(where: { id in ids.filter { $0 == id }.count > 1 }) {
      throw PolicyError.duplicatePolicy(twice)
    }
    return table
  }

  /// The policy in force for an item of `year` (a multiple performance, which has no term,
  /// counts from term 1). Items older than the first policy get the first policy.
  public func policy(for year: PolicyYear) -> Policy {
    let sorted = policies.sorted { $0.effectiveFrom < $1.effectiveFrom }
    return sorted.last { $0.effectiveFrom <= year } ?? sorted[0]
  }

  /// SHA-256 of the table's canonical JSON (sorted keys): any change of any limit changes it.
  public var contentHash: String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    guard let bytes = try? encoder.encode(self), let hasher = try? DigestHasher(.sha256) else { return fingerprint }
    bytes.withUnsafeBytes { hasher.update($0) }
    return (try? hasher.finish()) ?? fingerprint
  }

  /// A fingerprint of the table, recorded in reports so a changed table is visible.
  public var fingerprint: String {
    tableVersion + ":" + policies.map(\.id).joined(separator: ",")
  }
}

public enum PolicyError: Error, CustomStringConvertible {
  case missingTable
  case emptyTable
  case badVersion(String)
  case duplicatePolicy(String)

  public var description: String {
    switch self {
    case .missingTable: "the policy table policies.json compiled into the program is empty"
    case .emptyTable: "the policy table holds no policy"
    case .badVersion(let text): "the policy table's tableVersion \"\(text)\" is not a date (2020-12-21)"
    case .duplicatePolicy(let id): "the policy table holds policy \(id) twice"
    }
  }
}

/// Limits the parsers apply to what a file's header claims: width × height of an image.
public struct ParseLimits: Codable, Sendable, Equatable {
  /// Images over this many pixels are refused: no reviewer's browser opens them.
  public var maxPixels: Int

  public init(maxPixels: Int) { self.maxPixels = maxPixels }
}
