import Foundation

/// One row of `packages.csv`: a package a run wrote, or a student it refused one.
public struct PackageListing: Codable, Sendable, Equatable {
  public var studentNumber: String
  public var kind: String
  public var academicYear: Int?
  /// The package's file name in `packages/` (absent when refused).
  public var package: String?
  public var sha256: String?
  public var items: Int
  public var files: Int
  /// The codes of the refusal (empty when written).
  public var refused: [String]

  public init(_ outcome: PackageOutcome, kind: PackageManifest.Kind, academicYear: Int?) {
    studentNumber = outcome.studentNumber
    self.kind = kind == .central ? "central" : "transfer"
    self.academicYear = academicYear
    package = outcome.path.map { ($0 as NSString).lastPathComponent }
    sha256 = outcome.sha256
    items = outcome.items
    files = outcome.files
    refused = Array(Set(outcome.refusals.map(\.code.rawValue))).sorted()
  }
}

/// `packages.csv`: every package of the run's package stages, in stage and student order.
/// UTF-8 with a BOM, like rejections.csv; no ID numbers.
public enum PackageList {
  public static let fileName = "packages.csv"

  public static func csv(_ rows: [PackageListing]) throws -> [UInt8] {
    var csv = CSVRows(newline: .crlf)
    csv.append([
      "studentNumber", "kind", "academicYear", "package", "sha256", "items", "files", "status", "refused",
    ])
    for row in rows {
      csv.append([
        row.studentNumber, row.kind, row.academicYear.map(String.init) ?? "", row.package ?? "", row.sha256 ?? "",
        String(row.items), String(row.files),
        row.package != nil ? "written" : row.refused.isEmpty ? "no-items" : "refused",
        row.refused.joined(separator: ";"),
      ])
    }
    return [0xEF, 0xBB, 0xBF] + csv.bytes + [0x0D, 0x0A]
  }
}
