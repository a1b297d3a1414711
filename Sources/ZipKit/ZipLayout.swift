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

    public init(name: [UInt8], localHeaderOffset: UInt64, compressedSize: UInt64, uncompressedSize: UInt64, end: UInt64)
    {
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
    let (count, directorySize, directoryOffset) = try endOfCentralDirectory(fd, size: size)
    guard count <= UInt64(maxEntries) else { throw .tooManyEntries(Int(min(count, UInt64(Int.max)))) }
    guard directoryOffset <= size, directorySize <= size - directoryOffset else {
      throw .truncated("central directory out of range")
    }
    let directory = try readBytes(fd, at: directoryOffset, count: Int(directorySize))
    var entries = try directoryEntries(directory, count: Int(count))
    try checkLocalHeaders(fd, &entries, size: size, directoryOffset: directoryOffset)
    try checkOverlaps(entries)
    return ZipLayout(entries: entries)
  }

  /// The entry count, size and offset of the central directory (classic or ZIP64 record).
  static func endOfCentralDirectory(_ fd: Int32, size: UInt64) throws(Problem) -> (UInt64, UInt64, UInt64) {
    // End of central directory: within the last 64 KiB + 22 bytes.
    let tailLength = Int(min(size, 65_557))
    let tail = try readBytes(fd, at: size - UInt64(tailLength), count: tailLength)
    guard let eocd = lastIndex(of: [0x50, 0x4B, 0x05, 0x06], in: tail), eocd + 22 <= tail.count else {
      throw .truncated("no end-of-central-directory record")
    }
    let count = UInt64(le16(tail, eocd + 10))
    let directorySize = UInt64(le32(tail, eocd + 12))
    let directoryOffset = UInt64(le32(tail, eocd + 16))
    guard count == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF else {
      return (count, directorySize, directoryOffset)
    }
    // ZIP64: the locator sits just before the classic record.
    guard eocd >= 20, le32(tail, eocd - 20) == 0x0706_4B50 else { throw .truncated("ZIP64 locator missing") }
    let recordOffset = le64(tail, eocd - 20 + 8)
    guard recordOffset <= size, size - recordOffset >= 56 else { throw .truncated("ZIP64 record out of range") }
    let record = try readBytes(fd, at: recordOffset, count: 56)
    guard le32(record, 0) == 0x0606_4B50 else { throw .truncated("ZIP64 record signature") }
    return (le64(record, 32), le64(record, 40), le64(record, 48))
  }

  /// The entries of the central directory, with ZIP64 sizes and offsets where they overflowed.
  static func directoryEntries(_ directory: [UInt8], count: Int) throws(Problem) -> [Entry] {
    var entries: [Entry] = []
    entries.reserveCapacity(count)
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
      var entry = Entry(
        name: Array(directory[(at + 46)..<(at + 46 + nameLength)]), localHeaderOffset: UInt64(le32(directory, at + 42)),
        compressedSize: UInt64(le32(directory, at + 20)), uncompressedSize: UInt64(le32(directory, at + 24)), end: 0)
      applyZIP64(directory, extra: (at + 46 + nameLength)..<(at + 46 + nameLength + extraLength), to: &entry)
      entries.append(entry)
      at += 46 + nameLength + extraLength + commentLength
    }
    return entries
  }

  /// ZIP64 extended information (id 0x0001) holds the fields that overflowed, in order.
  static func applyZIP64(_ directory: [UInt8], extra range: Range<Int>, to entry: inout Entry) {
    var extra = range.lowerBound
    while extra + 4 <= range.upperBound {
      let id = le16(directory, extra)
      let length = Int(le16(directory, extra + 2))
      guard extra + 4 + length <= range.upperBound else { return }
      if id == 0x0001 {
        var field = extra + 4
        let end = extra + 4 + length
        if entry.uncompressedSize == 0xFFFF_FFFF, field + 8 <= end {
          entry.uncompressedSize = le64(directory, field)
          field += 8
        }
        if entry.compressedSize == 0xFFFF_FFFF, field + 8 <= end {
          entry.compressedSize = le64(directory, field)
          field += 8
        }
        if entry.localHeaderOffset == 0xFFFF_FFFF, field + 8 <= end { entry.localHeaderOffset = le64(directory, field) }
      }
      extra += 4 + length
    }
  }

  /// Local headers: where each entry really ends (sizes added with overflow checks: the
  /// numbers come from the file), and whether the name agrees.
  static func checkLocalHeaders(
    _ fd: Int32, _ entries: inout [Entry], size: UInt64, directoryOffset: UInt64
  ) throws(Problem) {
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
      let (end, overflow) = (entry.localHeaderOffset + 30 + nameLength + extraLength)
        .addingReportingOverflow(entry.compressedSize)
      guard !overflow, end <= directoryOffset else {
        throw .truncated("data of entry \(index) runs into the central directory")
      }
      entries[index].end = end
    }
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
      let got = bytes.withUnsafeMutableBytes { raw in
        guard let base = raw.baseAddress else { return 0 }
        return pread(fd, base + done, count - done, off_t(offset) + off_t(done))
      }
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
  static func le64(_ bytes: [UInt8], _ at: Int) -> UInt64 {
    UInt64(le32(bytes, at)) | UInt64(le32(bytes, at + 4)) << 32
  }

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
