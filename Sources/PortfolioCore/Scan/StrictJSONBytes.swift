/// The byte-level checks of `StrictJSON`: the encoding, UTF-8, and where a byte stands.
extension StrictJSON {
  /// UTF-16 and UTF-32 show themselves by a byte-order mark or by zero bytes among the first
  /// ASCII characters.
  static func foreignEncoding(_ bytes: [UInt8]) -> String? {
    if bytes.starts(with: [0x00, 0x00, 0xFE, 0xFF]) || bytes.starts(with: [0xFF, 0xFE, 0x00, 0x00]) {
      return "UTF-32"
    }
    if bytes.starts(with: [0xFE, 0xFF]) || bytes.starts(with: [0xFF, 0xFE]) { return "UTF-16" }
    if bytes.count >= 2, bytes[0] == 0 || bytes[1] == 0 {
      return bytes.count >= 4 && (bytes[0...2].allSatisfy { $0 == 0 } || bytes[1...3].allSatisfy { $0 == 0 })
        ? "UTF-32" : "UTF-16"
    }
    return nil
  }

  /// Where the first byte sequence that is not UTF-8 starts (Unicode's table 3-7 of well-formed
  /// sequences: no overlong form, no surrogate, nothing past U+10FFFF, none cut short), or `nil`.
  static func firstInvalidUTF8(_ bytes: [UInt8], from start: Int) -> Int? {
    bytes.withUnsafeBufferPointer { bytes in
      var at = start
      while at < bytes.count {
        let lead = bytes[at]
        if lead < 0x80 {
          at += 1
          continue
        }
        // The second byte's range by the lead byte; the others are 80...BF.
        let length: Int
        let second: ClosedRange<UInt8>
        switch lead {
        case 0xC2...0xDF: (length, second) = (2, 0x80...0xBF)
        case 0xE0: (length, second) = (3, 0xA0...0xBF)
        case 0xE1...0xEC, 0xEE...0xEF: (length, second) = (3, 0x80...0xBF)
        case 0xED: (length, second) = (3, 0x80...0x9F)
        case 0xF0: (length, second) = (4, 0x90...0xBF)
        case 0xF1...0xF3: (length, second) = (4, 0x80...0xBF)
        case 0xF4: (length, second) = (4, 0x80...0x8F)
        default: return at
        }
        guard at + length <= bytes.count, second.contains(bytes[at + 1]) else { return at }
        for next in (at + 2)..<(at + length) where bytes[next] & 0xC0 != 0x80 { return at }
        at += length
      }
      return nil
    }
  }

  static func position(_ offset: Int, in bytes: [UInt8]) -> String {
    var line = 1
    var column = 1
    for byte in bytes[..<min(offset, bytes.count)] {
      if byte == 0x0A {
        line += 1
        column = 1
      } else if byte & 0xC0 != 0x80 {
        column += 1
      }
    }
    return "line \(line), column \(column)"
  }

  static func hex(_ byte: UInt8) -> String {
    let digits = String(byte, radix: 16, uppercase: true)
    return digits.count == 1 ? "0" + digits : digits
  }
}
