#if canImport(Glibc)
  import Glibc
#endif

/// What a text file that is not UTF-8 most likely is, so that the message can name it and the
/// exact fix. Taiwanese Excel saves "CSV (逗號分隔)" as Big5 (code page 950) and "Unicode 文字"
/// as UTF-16; both are told apart from UTF-8 here.
public enum TextEncoding: Equatable, Sendable {
  case utf8
  case utf16LittleEndian, utf16BigEndian, utf32
  /// Big5 (code page 950): every byte decodes through glibc's iconv.
  case big5
  /// Not UTF-8, and none of the above.
  case unknown

  public var name: String {
    switch self {
    case .utf8: "UTF-8"
    case .utf16LittleEndian: "UTF-16 (little-endian)"
    case .utf16BigEndian: "UTF-16 (big-endian)"
    case .utf32: "UTF-32"
    case .big5: "Big5"
    case .unknown: "an unknown encoding"
    }
  }

  /// `bytes` without a leading UTF-8 byte-order mark (Excel and Windows tools write one).
  static func withoutBOM(_ bytes: [UInt8]) -> [UInt8] {
    bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
  }

  /// The encoding of `bytes` (a BOM, the pattern of NUL bytes, then a full Big5 decode).
  public static func guess(_ bytes: [UInt8]) -> TextEncoding {
    if bytes.starts(with: [0xFF, 0xFE, 0, 0]) || bytes.starts(with: [0, 0, 0xFE, 0xFF]) { return .utf32 }
    if bytes.starts(with: [0xFF, 0xFE]) { return .utf16LittleEndian }
    if bytes.starts(with: [0xFE, 0xFF]) { return .utf16BigEndian }
    var body = bytes[...]
    if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
    if String(validating: body, as: UTF8.self) != nil { return .utf8 }
    // ASCII text in UTF-16 without a BOM: every other byte is zero.
    let sample = bytes.prefix(4096)
    let zeroEven = stride(from: 0, to: sample.count, by: 2).filter { sample[$0] == 0 }.count
    let zeroOdd = stride(from: 1, to: sample.count, by: 2).filter { sample[$0] == 0 }.count
    if zeroOdd * 4 > sample.count { return .utf16LittleEndian }
    if zeroEven * 4 > sample.count { return .utf16BigEndian }
    return decodes(bytes, from: "CP950") ? .big5 : .unknown
  }

  /// The line (1-based) of the first byte that is not UTF-8 (StrictJSON's decoder finds it).
  public static func firstInvalidLine(_ bytes: [UInt8]) -> Int? {
    let start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    guard let offset = StrictJSON.firstInvalidUTF8(bytes, from: start) else { return nil }
    return bytes[..<offset].reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
  }

  /// Whether glibc's iconv converts all of `bytes` from `encoding` to UTF-8.
  static func decodes(_ bytes: [UInt8], from encoding: String) -> Bool {
    let converter = iconv_open("UTF-8", encoding)
    guard converter != iconv_t(bitPattern: -1) else { return false }
    defer { iconv_close(converter) }
    var input = bytes
    var output = [UInt8](repeating: 0, count: 64 * 1024)
    return input.withUnsafeMutableBytes { inputRaw in
      output.withUnsafeMutableBytes { outputRaw in
        var inPointer = inputRaw.baseAddress?.assumingMemoryBound(to: CChar.self)
        var inLeft = inputRaw.count
        while inLeft > 0 {
          var outPointer = outputRaw.baseAddress?.assumingMemoryBound(to: CChar.self)
          var outLeft = outputRaw.count
          if iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft) == -1 && errno != E2BIG { return false }
        }
        return true
      }
    }
  }
}
