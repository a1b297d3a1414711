import Foundation

/// The two ways the pipeline writes a moment: a timestamp with its offset and a calendar day,
/// both in the school's time zone.
enum SchoolClock {
  /// `2026-11-23T10:00:00+08:00` (ISO 8601 with an offset; UTC as `+00:00`, never `Z`).
  static func timestamp(_ date: Date, in zone: TimeZone) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.timeZone = zone
    formatter.formatOptions = [.withInternetDateTime]
    let text = formatter.string(from: date)
    return text.hasSuffix("Z") ? String(text.dropLast()) + "+00:00" : text
  }

  /// `2026-11-23`.
  static func day(_ date: Date, in zone: TimeZone) -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = zone
    formatter.dateFormat = "yyyy-MM-dd"
    return formatter.string(from: date)
  }
}
