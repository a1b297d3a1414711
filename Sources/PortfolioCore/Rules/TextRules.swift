import Foundation

/// Checks of Taiwanese ID numbers (身分證統一編號 and 居留證統一證號).
public enum IDNumberRules {
  /// Letter codes: A=10, B=11, … with the historical order (I=34, O=35, W=32, Z=33).
  static let letters = Array("ABCDEFGHJKLMNPQRSTUVXYWZIO")

  static func code(_ letter: Character) -> Int? {
    letters.firstIndex(of: letter).map { $0 + 10 }
  }

  /// Whether `id` passes its checksum: a national ID (A123456789), a resident certificate in
  /// the 2021 form (A800000014, second character 8 or 9) or in the older form (AB12345678,
  /// second letter encoded by its code's last digit). `other` IDs are not checked.
  public static func isValid(_ id: String, type: IDType) -> Bool {
    let characters = Array(id.uppercased())
    guard characters.count == 10, let first = code(characters[0]) else { return type == .other }
    var digits: [Int] = [first / 10, first % 10]
    switch type {
    case .nationalID:
      guard ["1", "2"].contains(characters[1]) else { return false }
    case .residentCertificate:
      if let second = code(characters[1]) {
        digits.append(second % 10)
        return checksum(digits + characters[2...].compactMap(\.wholeNumberValue), digitCount: 8, of: characters)
      }
      guard ["8", "9"].contains(characters[1]) else { return false }
    case .other:
      return true
    }
    return checksum(digits + characters[1...].compactMap(\.wholeNumberValue), digitCount: 9, of: characters)
  }

  private static func checksum(_ digits: [Int], digitCount: Int, of characters: [Character]) -> Bool {
    guard digits.count == 11, characters.suffix(digitCount).allSatisfy(\.isWholeNumber) else { return false }
    let weights = [1, 9, 8, 7, 6, 5, 4, 3, 2, 1, 1]
    return zip(digits, weights).reduce(0) { $0 + $1.0 * $1.1 } % 10 == 0
  }
}

/// Text rules: lengths as a person sees them, forbidden characters, rare characters.
public enum TextRules {
  /// Grapheme clusters of the NFC form: what a person counts as characters.
  public static func visibleLength(_ text: String) -> Int {
    text.nfc.count
  }

  /// The first character a text field must not hold: a control character other than tab and
  /// line breaks, a non-character, or anything XML 1.0 forbids.
  /// A one-line field (a name, a title, an organizer) may not hold tabs or line breaks either.
  public static func forbiddenScalar(in text: String, multiline: Bool = true) -> Unicode.Scalar? {
    text.unicodeScalars.first { scalar in
      switch scalar.value {
      case 0x09, 0x0A, 0x0D: !multiline
      case 0x2028, 0x2029: !multiline
      case 0x00...0x1F, 0x7F...0x9F: true
      case 0xFDD0...0xFDEF: true
      case let value where value & 0xFFFE == 0xFFFE: true
      default: false
      }
    }
  }

  /// Characters staff must check by eye: Private Use Area (造字), CJK Extension B and beyond,
  /// and CJK compatibility ideographs (which NFC would silently replace).
  public static func rareCharacters(in text: String) -> [Unicode.Scalar] {
    text.unicodeScalars.filter { scalar in
      switch scalar.value {
      case 0xE000...0xF8FF, 0xF0000...0xFFFFD, 0x100000...0x10FFFD: true
      case 0x20000...0x3FFFF: true
      case 0xF900...0xFAFF, 0x2F800...0x2FA1F: true
      default: false
      }
    }
  }

  /// A tab or a line break (allowed only in multi-line fields such as a summary).
  static func isLineBreakOrTab(_ scalar: Unicode.Scalar) -> Bool {
    [0x09, 0x0A, 0x0D, 0x2028, 0x2029].contains(scalar.value)
  }

  static func codePoint(_ scalar: Unicode.Scalar) -> String {
    let hex = String(scalar.value, radix: 16, uppercase: true)
    return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
  }
}
