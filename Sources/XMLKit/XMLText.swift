/// The characters XML 1.0 allows in a document.
public enum XMLText {
  /// Whether XML 1.0 allows the scalar: `#x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] |
  /// [#x10000-#x10FFFF]` (Swift strings never hold surrogates).
  public static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x9, 0xA, 0xD: true
    case 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
    default: false
    }
  }

  /// The first scalar XML 1.0 forbids in `text`, or `nil` when all are allowed.
  public static func firstForbidden(in text: String) -> Unicode.Scalar? {
    text.unicodeScalars.first { !isAllowed($0) }
  }
}
