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

  /// The numbers of `text`, when printing them gives `text` back (both nanosecond fields fit in 32 bits).
  private static func numbers(_ text: String) -> (UInt64, UInt64, Int64, Int64, Int64, UInt64)? {
    let fields = text.split(separator: ":", omittingEmptySubsequences: false)
    guard fields.count == 5 else { return nil }
    let modified = fields[3].split(separator: ".", omittingEmptySubsequences: false)
    let changed = fields[4].split(separator: ".", omittingEmptySubsequences: false)
    guard modified.count == 2, changed.count == 2, let device = UInt64(fields[0]), let inode = UInt64(fields[1]),
      let size = Int64(fields[2]), let modifiedSeconds = Int64(modified[0]), let changedSeconds = Int64(changed[0]),
      let modifiedNanoseconds = UInt32(modified[1]), let changedNanoseconds = UInt32(changed[1])
    else { return nil }
    let numbers = (
      device, inode, size, modifiedSeconds, changedSeconds,
      UInt64(modifiedNanoseconds) << 32 | UInt64(changedNanoseconds)
    )
    let again =
      "\(device):\(inode):\(size):\(modifiedSeconds).\(modifiedNanoseconds):\(changedSeconds).\(changedNanoseconds)"
    return again == text ? numbers : nil
  }

  init(from decoder: any Decoder) throws { self.init(try decoder.singleValueContainer().decode(String.self)) }

  func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(text)
  }
}
