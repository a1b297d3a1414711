import Foundation

/// Dates and times as people in Taiwan write them, for what students read: 民國 years, the
/// 24-hour clock, the school's time zone — never ISO 8601 (that stays in report.json and the
/// English messages for staff).
enum PeopleDates {
  /// `民國 112 年 11 月 15 日`.
  static func day(_ date: Date, in zone: TimeZone) -> String {
    let parts = components(date, zone)
    return "民國 \(parts.year - 1911) 年 \(parts.month) 月 \(parts.day) 日"
  }

  /// `民國 113 年 2 月 15 日 10:00`.
  static func moment(_ date: Date, in zone: TimeZone) -> String {
    let parts = components(date, zone)
    let clock = String(format: "%02d:%02d", parts.hour, parts.minute)
    return "民國 \(parts.year - 1911) 年 \(parts.month) 月 \(parts.day) 日 \(clock)"
  }

  /// A calendar day written `2019-03-02` as `民國 108 年 3 月 2 日`; `nil` when it is not one.
  static func day(iso text: String) -> String? {
    let fields = text.split(separator: "-", omittingEmptySubsequences: false)
    guard fields.count == 3, let year = Int(fields[0]), let month = Int(fields[1]), let day = Int(fields[2]),
      year > 1911, (1...12).contains(month), (1...31).contains(day)
    else { return nil }
    return "民國 \(year - 1911) 年 \(month) 月 \(day) 日"
  }

  /// An ISO 8601 timestamp as a moment in `zone`, or the text itself when it is not one.
  static func moment(timestamp text: String, in zone: TimeZone) -> String {
    Timestamps.parse(text, timeZone: zone).map { moment($0, in: zone) } ?? text
  }

  /// A window from its opening to its closing moment: `民國 112 年 9 月 1 日 00:00 至 …`.
  static func span(_ window: UploadWindowDates, in zone: TimeZone) -> String {
    let opens = window.opens.map { moment($0, in: zone) } ?? window.window.opens
    let closes = window.closes.map { moment($0, in: zone) } ?? window.window.closes
    return "\(opens) 至 \(closes)"
  }

  private static func components(_ date: Date, _ zone: TimeZone) -> (
    year: Int, month: Int, day: Int, hour: Int, minute: Int
  ) {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = zone
    let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
    return (parts.year ?? 1970, parts.month ?? 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0)
  }
}
