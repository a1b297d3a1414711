#if canImport(Glibc)
  import Glibc
#endif

/// A file's identity as `FileSystem` writes it (`device:inode:size:mtime.ns:ctime.ns`), kept as
/// numbers: a school's tens of thousands of files each held a 50-byte string of its own. Any
/// text that does not read back as exactly itself is kept as text. Coded as the text.
struct FileStamp: Sendable, Equatable, Codable {
  private enum Storage: Equatable {
    case numbers(device: UInt64, inode: UInt64, size: Int64, modified: Int64, changed: Int64, nanoseconds: UInt64)
    case text(String)
  }
  private let storage: Storage

  init(_ text: String) {
    storage =
      Self.numbers(text).map { .numbers(device: $0, inode: $1, size: $2, modified: $3, changed: $4, nanoseconds: $5) }
      ?? .text(text)
  }

  /// The identity of the version `stat` describes, straight from its numbers.
  init(_ info: stat) {
    storage = .numbers(
      device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int64(info.st_size),
      modified: Int64(info.st_mtim.tv_sec), changed: Int64(info.st_ctim.tv_sec),
      nanoseconds: UInt64(UInt32(truncatingIfNeeded: info.st_mtim.tv_nsec)) << 32
        | UInt64(UInt32(truncatingIfNeeded: info.st_ctim.tv_nsec)))
  }

  var text: String {
    switch storage {
    case .text(let text): text
    case .numbers(let device, let inode, let size, let modified, let changed, let nanoseconds):
      "\(device):\(inode):\(size):\(modified).\(nanoseconds >> 32):\(changed).\(nanoseconds & 0xFFFF_FFFF)"
    }
  }

  /// Whether the stamp is kept as numbers (tests).
  var keptAsNumbers: Bool {
    if case .numbers = storage { return true }
    return false
  }

  /// The numbers of `text`, when printing them gives `text` back (both nanosecond fields fit in
  /// 32 bits): decimal digits without a sign (a minus on the times) or a leading zero. Read by
  /// bytes: a ledger of a school's files reads one per file each night.
  private static func numbers(_ text: String) -> (UInt64, UInt64, Int64, Int64, Int64, UInt64)? {
    var reader = StampReader(text.utf8)
    guard let device = reader.unsigned(upTo: .max, then: ":"), let inode = reader.unsigned(upTo: .max, then: ":"),
      let size = reader.signed(then: ":"), let modified = reader.signed(then: "."),
      let modifiedNanoseconds = reader.unsigned(upTo: UInt64(UInt32.max), then: ":"),
      let changed = reader.signed(then: "."),
      let changedNanoseconds = reader.unsigned(upTo: UInt64(UInt32.max), then: nil)
    else { return nil }
    return (device, inode, size, modified, changed, modifiedNanoseconds << 32 | changedNanoseconds)
  }

  init(from decoder: any Decoder) throws { self.init(try decoder.singleValueContainer().decode(String.self)) }

  func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(text)
  }
}

/// Reads the decimal fields of a stamp's text in order, each in its one printed form.
private struct StampReader {
  let bytes: String.UTF8View
  var at: String.UTF8View.Index

  init(_ bytes: String.UTF8View) {
    self.bytes = bytes
    at = bytes.startIndex
  }

  /// Digits up to `limit`, without a leading zero, then `separator` (`nil`: the end of the text).
  mutating func unsigned(upTo limit: UInt64, then separator: Unicode.Scalar?) -> UInt64? {
    let start = at
    guard let (value, end) = decimalDigits(bytes, from: start) else { return nil }
    at = end
    let count = bytes.distance(from: start, to: at)
    guard count == 1 || bytes[start] != 0x30, value <= limit else { return nil }
    guard let separator else { return at == bytes.endIndex ? value : nil }
    guard at < bytes.endIndex, bytes[at] == UInt8(ascii: separator) else { return nil }
    at = bytes.index(after: at)
    return value
  }

  /// An `Int64` as printed: an optional minus (never before 0), then `unsigned`'s digits.
  mutating func signed(then separator: Unicode.Scalar) -> Int64? {
    let negative = at < bytes.endIndex && bytes[at] == UInt8(ascii: "-")
    if negative { at = bytes.index(after: at) }
    guard let magnitude = unsigned(upTo: negative ? UInt64(Int64.max) + 1 : UInt64(Int64.max), then: separator)
    else { return nil }
    guard negative else { return Int64(magnitude) }
    return magnitude == 0 ? nil : Int64(truncatingIfNeeded: 0 &- magnitude)
  }
}
