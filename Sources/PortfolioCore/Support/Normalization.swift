import Foundation

extension String {
  /// The string in Unicode NFC (how names and keys are compared: a Mac or an iPhone may send
  /// decomposed text). ASCII text is its own NFC, so it is returned without asking Foundation.
  var nfc: String {
    utf8.allSatisfy { $0 < 0x80 } ? self : precomposedStringWithCanonicalMapping
  }
}
