import Foundation
import Testing

@testable import PortfolioCore

/// Names and keys are compared in NFC; what NFC never changes skips Foundation.
@Suite struct NormalizationTests {
  /// Every scalar the fast path trusts is left alone by Foundation's NFC on its own, after an
  /// ASCII letter and after an ideograph: it neither changes nor composes with what precedes.
  @Test func everyScalarTheFastPathTrustsIsLeftAloneByNFC() {
    let ranges: [ClosedRange<UInt32>] = [
      0...0x7F, 0x2010...0x2027, 0x3000...0x3029, 0x3030...0x303F, 0x3400...0x4DBF, 0x4E00...0x9FFF,
      0xFF01...0xFF5E, 0x20000...0x2A6DF,
    ]
    var changed: [String] = []
    for range in ranges {
      for value in range {
        guard let scalar = Unicode.Scalar(value) else { continue }
        let text = String(Character(scalar))
        #expect(String.isNFCStable(text.unicodeScalars))
        for sample in [text, "a" + text, "\u{4E2D}" + text, text + "a"]
        where sample.precomposedStringWithCanonicalMapping.unicodeScalars.elementsEqual(sample.unicodeScalars) == false
        {
          changed.append(String(value, radix: 16))
        }
      }
    }
    #expect(changed.isEmpty, "NFC changes: \(changed.prefix(20))")
  }

  @Test func decomposedAndCompatibilityTextIsNormalised() {
    #expect("e\u{301}.pdf".nfc == "\u{E9}.pdf")  // a Mac's decomposed é
    #expect("\u{304B}\u{3099}".nfc == "\u{304C}")  // か + dakuten → が (kana are not on the fast path)
    #expect("\u{F900}".nfc == "\u{8C48}")  // a CJK compatibility ideograph becomes its unified one
    #expect("作品\u{302A}".nfc == "作品\u{302A}".precomposedStringWithCanonicalMapping)
    #expect(!String.isNFCStable("\u{F900}".unicodeScalars) && !String.isNFCStable("\u{302A}".unicodeScalars))
    #expect("全國高中職科展（佳作）—「作品 2」.pdf".nfc == "全國高中職科展（佳作）—「作品 2」.pdf")
    #expect(String.isNFCStable("全國高中職科展（佳作）—「作品 2」.pdf".unicodeScalars))
  }
}
