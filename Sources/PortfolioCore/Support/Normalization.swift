import Foundation

extension String {
  /// The string in Unicode NFC (how names and keys are compared: a Mac or an iPhone may send
  /// decomposed text). Text made only of characters NFC never changes — ASCII, CJK ideographs,
  /// CJK and general punctuation, fullwidth forms: what a school's names, titles and summaries
  /// mostly are — is returned as it is, without a trip through Foundation's bridged NSString;
  /// anything else is normalised by Foundation.
  var nfc: String {
    Self.isNFCStable(unicodeScalars) ? self : precomposedStringWithCanonicalMapping
  }

  /// Whether every scalar is one NFC leaves alone wherever it stands: canonical combining class
  /// 0, no canonical decomposition, never the second half of a composition (NFC_QC = Yes). The
  /// CJK compatibility ideographs (U+F900…, U+2F800…), which NFC replaces, and the ideographic
  /// tone marks U+302A–U+302F (combining) are not in these ranges.
  static func isNFCStable(_ scalars: String.UnicodeScalarView) -> Bool {
    scalars.allSatisfy { scalar in
      switch scalar.value {
      case 0..<0x80, 0x2010...0x2027, 0x3000...0x3029, 0x3030...0x303F, 0x3400...0x4DBF, 0x4E00...0x9FFF,
        0xFF01...0xFF5E, 0x20000...0x2A6DF:
        true
      default: false
      }
    }
  }
}
