/// A SHA-256 as lowercase hex, kept as its 32 bytes: a 64-character `String` is a heap
/// allocation of its own (112 bytes with malloc's), one per inspected file for the whole run.
/// Any other text (empty for a file never hashed) is kept as it is, so the text always comes
/// back exactly.
struct PackedHex: Sendable, Equatable {
  private enum Storage: Equatable {
    case digest(UInt64, UInt64, UInt64, UInt64)
    case text(String)
  }

  private let storage: Storage

  init(_ text: String) {
    storage = Self.pack(text) ?? .text(text)
  }

  var text: String {
    switch storage {
    case .text(let text): return text
    case .digest(let a, let b, let c, let d): return Self.hex(a, b, c, d)
    }
  }

  private static func hex(_ a: UInt64, _ b: UInt64, _ c: UInt64, _ d: UInt64) -> String {
    String(unsafeUninitializedCapacity: 64) { buffer in
      for (offset, word) in [(0, a), (16, b), (32, c), (48, d)] {
        for nibble in 0..<16 {
          let digit = UInt8(truncatingIfNeeded: word >> UInt64(60 - 4 * nibble)) & 0xF
          buffer[offset + nibble] = digit < 10 ? 0x30 + digit : 0x57 + digit
        }
      }
      return 64
    }
  }

  /// The four big-endian words of 64 lowercase hex digits; `nil` for any other text.
  private static func pack(_ text: String) -> Storage? {
    var text = text
    text.makeContiguousUTF8()
    return text.utf8.withContiguousStorageIfAvailable { bytes -> Storage? in
      guard bytes.count == 64 else { return nil }
      var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
      for index in 0..<4 {
        var word: UInt64 = 0
        for byte in bytes[(index * 16)..<(index * 16 + 16)] {
          switch byte {
          case 0x30...0x39: word = word << 4 | UInt64(byte - 0x30)
          case 0x61...0x66: word = word << 4 | UInt64(byte - 0x57)
          default: return nil
          }
        }
        switch index {
        case 0: words.0 = word
        case 1: words.1 = word
        case 2: words.2 = word
        default: words.3 = word
        }
      }
      return .digest(words.0, words.1, words.2, words.3)
    } ?? nil
  }
}
