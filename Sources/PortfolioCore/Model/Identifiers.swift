/// The shapes of names the drop contract allows. Anything else is `bad-metadata` and is never
/// used in an output path.
public enum Identifiers {
  /// 1–20 characters of `[0-9A-Za-z_-]`.
  public static func isStudentNumber(_ text: String) -> Bool {
    (1...20).contains(text.utf8.count) && text.utf8.allSatisfy { isAlnum($0) || $0 == 0x5F || $0 == 0x2D }
  }

  /// 1–40 characters of `[0-9A-Za-z._-]`, not `.` or `..`.
  public static func isItemId(_ text: String) -> Bool {
    (1...40).contains(text.utf8.count) && text != "." && text != ".."
      && text.utf8.allSatisfy { isAlnum($0) || $0 == 0x5F || $0 == 0x2D || $0 == 0x2E }
  }

  /// A file name as item.json may give it: one path component, no NUL, not `.` or `..`,
  /// at most 255 bytes (the Linux limit).
  public static func isPlainFileName(_ text: String) -> Bool {
    !text.isEmpty && text.utf8.count <= 255 && text != "." && text != ".."
      && !text.utf8.contains(0x2F) && !text.utf8.contains(0)
  }

  private static func isAlnum(_ byte: UInt8) -> Bool {
    (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
  }
}

/// Dates as the school systems write them.
public enum SchoolDates {
  /// `2007-05-14` stays; the 7-digit Minguo form `0960514` and Excel's zh-TW default
  /// `2007/5/14` (month and day with or without a leading zero) become `2007-05-14`.
  /// Returns `nil` for anything else or an impossible date.
  public static func isoDate(_ text: String) -> String? {
    // The usual form, `2007-05-14` in ASCII digits: checked on its bytes, and it is its own answer.
    if let iso = plainISODate(text) { return iso }
    let digits = Array(text.utf8)
    func number(_ range: Range<Int>) -> Int? { Int(String(decoding: digits[range], as: UTF8.self)) }
    let year: Int
    let month: Int
    let day: Int
    if digits.count == 10, digits[4] == 0x2D, digits[7] == 0x2D,
      let y = number(0..<4), let m = number(5..<7), let d = number(8..<10)
    {
      (year, month, day) = (y, m, d)
    } else if digits.count == 7, digits.allSatisfy({ (0x30...0x39).contains($0) }),
      let y = number(0..<3), let m = number(3..<5), let d = number(5..<7)
    {
      (year, month, day) = (y + 1911, m, d)
    } else if let slashed = slashDate(text) {
      (year, month, day) = slashed
    } else {
      return nil
    }
    guard (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day) else { return nil }
    let pad = { (value: Int, width: Int) in
      String(repeating: "0", count: max(0, width - String(value).count)) + String(value)
    }
    return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
  }

  /// `text` when it is `YYYY-MM-DD` in ASCII digits and a real date (what `isoDate` would
  /// write for it), else `nil` (and `isoDate` looks further).
  private static func plainISODate(_ text: String) -> String? {
    text.utf8.withContiguousStorageIfAvailable { bytes -> String? in
      guard bytes.count == 10, bytes[4] == 0x2D, bytes[7] == 0x2D else { return nil }
      // The field's digits, all of them (the project's one digit reader).
      func number(_ range: Range<Int>) -> Int? {
        guard let read = decimalDigits(bytes[range], from: range.lowerBound), read.end == range.upperBound else {
          return nil
        }
        return Int(read.value)
      }
      guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
        (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day)
      else { return nil }
      return text
    } ?? nil
  }

  /// `2007/5/14` or `2007/05/14`: four digits of year, one or two of month and of day.
  private static func slashDate(_ text: String) -> (Int, Int, Int)? {
    let parts = text.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 3, parts[0].count == 4, (1...2).contains(parts[1].count), (1...2).contains(parts[2].count),
      parts.allSatisfy({ $0.utf8.allSatisfy { (0x30...0x39).contains($0) } }),
      let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
    else { return nil }
    return (year, month, day)
  }

  static func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: 30
    default: 31
    }
  }
}
