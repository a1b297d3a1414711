import Foundation

/// The shapes the field specification (and so the manifest's XSD) gives to fields, checked in
/// `validate` before anything is packaged, so that the XSD check at packaging never fails on a
/// student's data.
enum FieldRules {
  /// One line of XML text (a course name, a unit, a title): no tabs or line breaks either.
  static func isOneLineText(_ text: String) -> Bool { TextRules.forbiddenScalar(in: text, multiline: false) == nil }

  /// A decimal number in `range` (an absent value is allowed only where the caller says so).
  static func isDecimal(_ text: String?, in range: ClosedRange<Double>) -> Bool {
    guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty,
      text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == "-") }), let value = Double(text)
    else { return false }
    return range.contains(value)
  }

  static func isOptionalDate(_ text: String?) -> Bool {
    guard let text, !text.trimmingCharacters(in: .whitespaces).isEmpty else { return true }
    return SchoolDates.isoDate(text) != nil
  }

  /// `[0-9A-Z]{6}`.
  static func isSchoolCode(_ text: String) -> Bool {
    text.utf8.count == 6 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) }
  }

  /// Why a student's name cannot go into a manifest (1–40 characters of XML text), or `nil`.
  static func nameProblem(_ name: String) -> String? {
    let characters = name.unicodeScalars.count
    if name.trimmingCharacters(in: .whitespaces).isEmpty { return "the name is empty" }
    if let bad = TextRules.forbiddenScalar(in: name, multiline: false) {
      return TextRules.isLineBreakOrTab(bad)
        ? "the name holds \(TextRules.codePoint(bad)) (a line break or tab)"
        : "the name holds \(TextRules.codePoint(bad))"
    }
    if characters > 40 { return "the name has \(characters) characters; at most 40" }
    return nil
  }

  /// Why an external link cannot be used (http or https only, at most 500 characters, no
  /// spaces or control characters), or `nil`.
  static func linkProblem(_ link: String) -> String? {
    let lower = link.lowercased()
    if !(lower.hasPrefix("http://") || lower.hasPrefix("https://")) || link.count <= 8 {
      return "only http:// or https:// links are allowed"
    }
    if link.unicodeScalars.count > 500 { return "\(link.unicodeScalars.count) characters; at most 500" }
    if link.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F }) {
      return "the link holds spaces or control characters"
    }
    return nil
  }

  /// An ISO 8601 date-time with an offset (`2023-11-02T21:14:05+08:00`), as the manifest needs:
  /// its shape and every field in range (`Timestamps.instant`, byte by byte, no formatter).
  static func isTimestampWithOffset(_ text: String) -> Bool {
    Timestamps.instant(text) != nil
  }

  /// The multiple-performance categories of the field specification (one list: the rosters').
  static let categories = Set(RosterLayout.performances.map(\.category))
}
