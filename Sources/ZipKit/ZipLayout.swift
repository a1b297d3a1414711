#if canImport(Glibc)
  import Glibc
#endif

/// The byte layout of a zip archive, read from its central directory by our own parser: what
/// libzip does not expose and hostile archives abuse — exact name bytes (a NUL inside a name
/// hides the rest from C strings), local header offsets (overlapping entries: the zip bomb
/// that reuses one compressed stream many times) and local headers that disagree with the
/// central directory.
public struct ZipLayout: Sendable {
  public struct Entry: Sendable, Equatable {
    public var name: [UInt8]
    public var localHeaderOffset: UInt64
    public var compressedSize: UInt64
    public var uncompressedSize: UInt64
    /// Where this entry's bytes end (local header, name, extra field and data), from its local header.
    public var end: UInt64

    public init(name: [UInt8], localHeaderOffset: UInt64, compressedSize: UInt64, uncompressedSize: UInt64, end: UInt64) {
      self.name = name
      self.localHeaderOffset = localHeaderOffset
      self.compressedSize = compressedSize
      self.uncompressedSize = uncompressedSize
      self.end = end
    }
  }

  /// Why the layout is unacceptable.
  public enum Problem: Error, Sendable, Equatable, CustomStringConvertible {
    case truncated(String)
    case overlapping(first: [UInt8], second: [UInt8])
    case headersDisagree([UInt8], String)
    case tooManyEntries(Int)

    public var description: String {
      switch self {
      case .truncated(let what): "truncated or malformed: \(what)"
      case .overlapping(let a, let b):
        "entries \(String(decoding: a, as: UTF8.self)) and \(String(decoding: b, as: UTF8.self)) overlap"
      case .headersDisagree(let name, let what):
        "local and central headers of \(String(decoding: name, as: UTF8.self)) disagree: \(what)"
      case .tooManyEntries(let count): "\(count) entries"
      }
    }
  }

  public let entries: [Entry]

  /// Reads the central directory of the archive at `path`, refusing more than `maxEntries`.
  public static func read(path: String, maxEntries: Int) throws(Problem) -> ZipLayout {
    let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
    guard fd >= 0 else { throw .truncated("cannot open (\(String(cString: strerror(errno))))") }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else { throw .truncated("cannot stat") }
    let size = UInt64(info.st_size)
    // End of central directory: within the last 64 KiB + 22 bytes.
    let tailLength = Int(min(size, 65_557))
    let tail = try readBytes(fd, at: size - UInt64(tailLength), count: tailLength)
    guard let eocd = lastIndex(of: [0x50, 0x4B, 0x05, 0x06], in: tail), eocd + 22 <= tail.count else {
      throw .truncated("no end-of-central-directory record")
    }
    var count = UInt64(le16(tail, eocd + 10))
    var directorySize = UInt64(le32(tail, eocd + 12))
    var directoryOffset = UInt64(le32(tail, eocd + 16))
    if count == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF {
      // ZIP64: the locator sits just before the classic record.
      guard eocd >= 20, le32(tail, eocd - 20) == 0x0706_4B50 else { throw .truncated("ZIP64 locator missing") }
      let recordOffset = le64(tail, eocd - 20 + 8)
      guard recordOffset + 56 <= size else { throw .truncated("ZIP64 record out of range") }
      let record = try readBytes(fd, at: recordOffset, count: 56)
      guard le32(record, 0) == 0x0606_4B50 else { throw .truncated("ZIP64 record signature") }
      count = le64(record, 32)
      directorySize = le64(record, 40)
      directoryOffset = le64(record, 48)
    }
    guard count <= UInt64(maxEntries) else { throw .tooManyEntries(Int(min(count, UInt64(Int.max)))) }
    guard directoryOffset <= size, directorySize <= size - directoryOffset else {
      throw .truncated("central directory out of range")
    }
    let directory = try readBytes(fd, at: directoryOffset, count: Int(directorySize))
    var entries: [Entry] = []
    entries.reserveCapacity(Int(count))
    var at = 0
    for _ in 0..<count {
      guard at + 46 <= directory.count, le32(directory, at) == 0x0201_4B50 else {
        throw .truncated("central directory entry \(entries.count)")
      }
      let nameLength = Int(le16(directory, at + 28))
      let extraLength = Int(le16(directory, at + 30))
      let commentLength = Int(le16(directory, at + 32))
      guard at + 46 + nameLength + extraLength + commentLength <= directory.count else {
        throw .truncated("central directory entry \(entries.count)")
      }
      var compressed = UInt64(le32(directory, at + 20))
      var uncompressed = UInt64(le32(directory, at + 24))
      var offset = UInt64(le32(directory, at + 42))
      let name = Array(directory[(at + 46)..<(at + 46 + nameLength)])
      // ZIP64 extended information (id 0x0001) holds the fields that overflowed, in order.
      var extra = at + 46 + nameLength
      let extraEnd = extra + extraLength
      while extra + 4 <= extraEnd {
        let id = le16(directory, extra)
        let length = Int(le16(directory, extra + 2))
        guard extra + 4 + length <= extraEnd else { break }
        if id == 0x0001 {
          var field = extra + 4
          if uncompressed == 0xFFFF_FFFF, field + 8 <= extra + 4 + length { uncompressed = le64(directory, field); field += 8 }
          if compressed == 0xFFFF_FFFF, field + 8 <= extra + 4 + length { compressed = le64(directory, field); field += 8 }
          if offset == 0xFFFF_FFFF, field + 8 <= extra + 4 + length { offset = le64(directory, field) }
        }
        extra += 4 + length
      }
      entries.append(Entry(name: name, localHeaderOffset: offset, compressedSize: compressed, uncompressedSize: uncompressed, end: 0))
      at += 46 + nameLength + extraLength + commentLength
    }
    // Local headers: where each entry really ends, and whether the name agrees.
    for index in entries.indices {
      let entry = entries[index]
      guard entry.localHeaderOffset <= size, size - entry.localHeaderOffset >= 30 else {
        throw .truncated("local header of entry \(index) out of range")
      }
      let header = try readBytes(fd, at: entry.localHeaderOffset, count: 30)
      guard le32(header, 0) == 0x0403_4B50 else { throw .headersDisagree(entry.name, "no local header signature") }
      let nameLength = UInt64(le16(header, 26))
      let extraLength = UInt64(le16(header, 28))
      guard nameLength == UInt64(entry.name.count) else {
        throw .headersDisagree(entry.name, "name length \(nameLength) vs \(entry.name.count)")
      }
      let localName = try readBytes(fd, at: entry.localHeaderOffset + 30, count: Int(nameLength))
      guard localName == entry.name else { throw .headersDisagree(entry.name, "different names") }
      let end = entry.localHeaderOffset + 30 + nameLength + extraLength + entry.compressedSize
      guard end <= directoryOffset else { throw .truncated("data of entry \(index) runs into the central directory") }
      entries[index].end = end
    }
    try checkOverlaps(entries)
    return ZipLayout(entries: entries)
  }

  /// Refuses entries whose byte ranges overlap: sorted by offset, each must end before the
  /// next begins (O(n log n), fast with 100,000 entries).
  public static func checkOverlaps(_ entries: [Entry]) throws(Problem) {
    let sorted = entries.sorted { $0.localHeaderOffset < $1.localHeaderOffset }
    for (current, next) in zip(sorted, sorted.dropFirst()) where current.end > next.localHeaderOffset {
      throw .overlapping(first: current.name, second: next.name)
    }
  }

  static func readBytes(_ fd: Int32, at offset: UInt64, count: Int) throws(Problem) -> [UInt8] {
    var bytes = [UInt8](repeating: 0, count: count)
    var done = 0
    while done < count {
      let got = bytes.withUnsafeMutableBytes { raw in pread(fd, raw.baseAddress! + done, count - done, off_t(offset) + off_t(done)) }
      if got < 0 && errno == EINTR { continue }
      guard got > 0 else { throw .truncated("unexpected end of file") }
      done += got
    }
    return bytes
  }

  static func le16(_ bytes: [UInt8], _ at: Int) -> UInt16 { UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8 }
  static func le32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
    UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
  }
  static func le64(_ bytes: [UInt8], _ at: Int) -> UInt64 { UInt64(le32(bytes, at)) | UInt64(le32(bytes, at + 4)) << 32 }

  static func lastIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
    guard haystack.count >= needle.count else { return nil }
    var index = haystack.count - needle.count
    while index >= 0 {
      if haystack[index..<(index + needle.count)].elementsEqual(needle) { return index }
      index -= 1
    }
    return nil
  }
}
