import Foundation

/// Sizes for students: "MB" as they know it, computed in MiB as the rules mean it.
enum SizeText {
  /// Sizes for receipts: KB under 1 MB, else MB (both binary, one decimal).
  static func human(_ bytes: Int64) -> String {
    if bytes < 1_048_576 {
      let tenths = (Double(bytes) / 1024 * 10).rounded() / 10
      return tenths == tenths.rounded() ? "\(Int(tenths)) KB" : "\(tenths) KB"
    }
    return mb(bytes)
  }

  static func mb(_ bytes: Int64) -> String {
    let value = Double(bytes) / 1_048_576
    let tenths = (value * 10).rounded(.up) / 10
    if tenths == tenths.rounded() { return "\(Int(tenths)) MB" }
    return "\(tenths) MB"
  }
}

/// Byte counts for people.
public enum ByteCount {
  /// `2716000` → `2.6 MiB`; the limits are in MiB, so sizes are too.
  public static func text(_ bytes: Int64) -> String {
    let units = ["bytes", "KiB", "MiB", "GiB", "TiB"]
    var value = Double(bytes)
    var unit = 0
    while value >= 1024, unit < units.count - 1 {
      value /= 1024
      unit += 1
    }
    return unit == 0 ? "\(bytes) bytes" : String(format: "%.1f", value) + " " + units[unit]
  }
}

extension Int64 {
  /// `self + other`, held at `Int64.max` instead of trapping: sizes come from `fstat`, and a
  /// sparse file on XFS may claim 8 EiB.
  func addingSaturated(_ other: Int64) -> Int64 {
    let (sum, overflow) = addingReportingOverflow(other)
    return overflow ? (other > 0 ? .max : .min) : sum
  }
}

extension Sequence {
  /// The sum of `size` over the elements, saturating at `Int64.max`.
  func totalBytes(_ size: (Element) -> Int64) -> Int64 {
    reduce(Int64(0)) { $0.addingSaturated(size($1)) }
  }
}
