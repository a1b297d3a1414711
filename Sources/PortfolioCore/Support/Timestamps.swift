import Foundation

/// Times and dates of item.json and school.json: `2023-11-02T21:14:05+08:00` (fractions of a
/// second allowed, `Z` for UTC) or a bare date in the school's time zone.
///
/// Parsed byte by byte with calendar arithmetic: an `ISO8601DateFormatter` (ICU) costs about as
/// much per item as sniffing a file, and every item has two or three of these.
enum Timestamps {
  /// Parses an ISO 8601 date-time with an offset, or a bare date in `timeZone`.
  static func parse(_ text: String, timeZone: TimeZone) -> Date? {
    if let instant = instant(text) { return instant }
    guard let iso = SchoolDates.isoDate(text), let (year, month, day) = fields(Array(iso.utf8)) else { return nil }
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = timeZone
    return calendar.date(from: DateComponents(year: year, month: month, day: day))
  }

  /// Only a date-time with an offset (`Z` or `±hh:mm`), never a bare date.
  static func instant(_ text: String) -> Date? {
    let bytes = Array(text.utf8)
    return bytes.count >= 20 ? dateTime(bytes) : nil
  }

  /// `yyyy-mm-dd` as numbers, when the month and day exist.
  private static func fields(_ bytes: [UInt8]) -> (Int, Int, Int)? {
    guard bytes.count >= 10, bytes[4] == 0x2D, bytes[7] == 0x2D, let year = number(bytes, 0..<4),
      let month = number(bytes, 5..<7), let day = number(bytes, 8..<10), (1...12).contains(month),
      (1...SchoolDates.daysIn(month: month, year: year)).contains(day)
    else { return nil }
    return (year, month, day)
  }

  private static func number(_ bytes: [UInt8], _ range: Range<Int>) -> Int? {
    guard range.upperBound <= bytes.count else { return nil }
    var value = 0
    for index in range {
      guard (0x30...0x39).contains(bytes[index]) else { return nil }
      value = value * 10 + Int(bytes[index] - 0x30)
    }
    return value
  }

  /// `yyyy-mm-ddThh:mm:ss[.fff…](Z|±hh:mm)`, every field in range.
  private static func dateTime(_ bytes: [UInt8]) -> Date? {
    guard let (year, month, day) = fields(bytes), bytes[10] == 0x54, bytes[13] == 0x3A, bytes[16] == 0x3A,
      let hour = number(bytes, 11..<13), let minute = number(bytes, 14..<16), let second = number(bytes, 17..<19),
      hour < 24, minute < 60, second < 60
    else { return nil }
    var at = 19
    var fraction = 0.0
    if bytes[at] == 0x2E {
      at += 1
      var scale = 0.1
      let start = at
      while at < bytes.count, (0x30...0x39).contains(bytes[at]) {
        fraction += Double(bytes[at] - 0x30) * scale
        scale /= 10
        at += 1
      }
      guard at > start else { return nil }
    }
    var offset = 0
    if at == bytes.count - 1, bytes[at] == 0x5A {
      offset = 0
    } else if at == bytes.count - 6, bytes[at] == 0x2B || bytes[at] == 0x2D, bytes[at + 3] == 0x3A,
      let hours = number(bytes, (at + 1)..<(at + 3)), let minutes = number(bytes, (at + 4)..<(at + 6)), hours < 24,
      minutes < 60
    {
      offset = (hours * 60 + minutes) * 60 * (bytes[at] == 0x2D ? -1 : 1)
    } else {
      return nil
    }
    let seconds = daysSinceEpoch(year: year, month: month, day: day) * 86_400 + hour * 3_600 + minute * 60 + second
    return Date(timeIntervalSince1970: Double(seconds - offset) + fraction)
  }

  /// Days from 1970-01-01 to a proleptic Gregorian date (the civil-from-days inverse).
  static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
    let shifted = month <= 2 ? year - 1 : year
    let era = (shifted >= 0 ? shifted : shifted - 399) / 400
    let yearOfEra = shifted - era * 400
    let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
  }
}
