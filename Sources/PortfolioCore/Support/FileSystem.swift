#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What an entry in the drop directory is, from `lstat` (symbolic links are never followed).
public enum EntryKind: String, Sendable {
  case regularFile = "regular file"
  case directory = "folder"
  case symbolicLink = "symbolic link"
  case fifo = "FIFO (named pipe)"
  case socket = "socket"
  case characterDevice = "character device"
  case blockDevice = "block device"
  case unknown = "unknown entry"

  /// The kind in words for students.
  public var chinese: String {
    switch self {
    case .regularFile: "一般檔案"
    case .directory: "資料夾"
    case .symbolicLink: "捷徑（符號連結）"
    case .fifo: "具名管線"
    case .socket: "通訊端"
    case .characterDevice, .blockDevice: "裝置檔"
    case .unknown: "無法辨識的項目"
    }
  }

  init(mode: mode_t) {
    switch mode & S_IFMT {
    case S_IFREG: self = .regularFile
    case S_IFDIR: self = .directory
    case S_IFLNK: self = .symbolicLink
    case S_IFIFO: self = .fifo
    case S_IFSOCK: self = .socket
    case S_IFCHR: self = .characterDevice
    case S_IFBLK: self = .blockDevice
    default: self = .unknown
    }
  }
}

/// A failed system call, with `errno` and its text.
public struct SystemError: Error, CustomStringConvertible, Sendable {
  public let call: String
  public let path: String
  public let errno: Int32

  public var message: String { String(cString: strerror(errno)) }
  public var description: String { "\(call) \(path): \(message)" }
  public var isPermissionDenied: Bool { errno == EACCES || errno == EPERM }
  public var isMissing: Bool { errno == ENOENT || errno == ENOTDIR }
}

/// A name read from a directory: its raw bytes and, when they are valid UTF-8, the string.
public struct DirectoryName: Sendable, Hashable {
  public let bytes: [UInt8]
  /// What the folder's listing said the entry is (`getdents64`'s type, which is `lstat`'s kind),
  /// or `nil` when the file system does not say: a name is its bytes, whatever the kind.
  public let kind: EntryKind?

  public init(bytes: [UInt8], kind: EntryKind? = nil) {
    self.bytes = bytes
    self.kind = kind
  }

  public static func == (left: Self, right: Self) -> Bool { left.bytes == right.bytes }
  public func hash(into hasher: inout Hasher) { hasher.combine(bytes) }
  public var string: String? { String(validating: bytes, as: UTF8.self) }

  /// The name for display: valid UTF-8 as is, other bytes as `\xFF`.
  public var display: String {
    if let string { return string }
    var text = ""
    var index = 0
    while index < bytes.count {
      // Decode what is valid, escape what is not.
      var end = index + 1
      while end <= bytes.count, end - index <= 4 {
        if let piece = String(validating: bytes[index..<end], as: UTF8.self) {
          text += piece
          index = end
          break
        }
        end += 1
      }
      if end > bytes.count || end - index > 4 {
        text += "\\x" + String(bytes[index], radix: 16, uppercase: true)
        index += 1
      }
    }
    return text
  }
}

/// The few POSIX calls the scanner needs, each refusing to follow links or to block.
public enum FileSystem {
  /// The kind and size of the entry at `path`, without following a symbolic link.
  /// The corresponding C function is `lstat`.
  public static func entry(at path: String) -> Result<(kind: EntryKind, size: Int64, mtime: Int64), SystemError> {
    entry(path, in: AT_FDCWD, path: path)
  }

  /// The kind and size of the entry `name` of the open folder `folder` (`path` says where it is,
  /// for errors), without following a symbolic link.
  /// The corresponding C function is `fstatat` (`AT_SYMLINK_NOFOLLOW`).
  static func entry(_ name: String, in folder: Int32, path: String) -> Result<
    (kind: EntryKind, size: Int64, mtime: Int64), SystemError
  > {
    var info = stat()
    guard fstatat(folder, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else {
      return .failure(SystemError(call: "lstat", path: path, errno: errno))
    }
    return .success((EntryKind(mode: info.st_mode), Int64(info.st_size), Int64(info.st_mtim.tv_sec)))
  }

  /// The names in a folder (without `.` and `..`), sorted by their bytes.
  /// The corresponding C functions are `open` and `getdents64`.
  public static func names(in path: String) -> Result<[DirectoryName], SystemError> {
    let folder: Int32
    switch openFolder(path, in: AT_FDCWD, path: path) {
    case .success(let fd): folder = fd
    case .failure(let error): return .failure(error)
    }
    defer { close(folder) }
    return names(ofFolder: folder, path: path)
  }

  /// Opens a regular file for reading. Decides the kind with `lstat` first (sockets, devices,
  /// FIFOs and symbolic links are never opened), never follows a link, never blocks, and
  /// confirms with `fstat` that the same inode was opened.
  /// The corresponding C functions are `lstat`, `open` (`O_NOFOLLOW | O_NONBLOCK`) and `fstat`.
  /// `listed`: the kind the drop's scan already found there, which decides in place of `lstat`.
  public static func openRegularFile(_ path: String, listed: EntryKind? = nil) -> Result<
    (fd: Int32, size: Int64), OpenFailure
  > {
    openRegularFile(path, in: AT_FDCWD, path: path, listed: listed)
  }

  /// Opens the regular file `name` of the open folder `folder` for reading, as
  /// `openRegularFile(_:)` does (`path` says where it is, for errors).
  /// The corresponding C functions are `fstatat`, `openat` and `fstat`.
  /// `listed`: the kind the folder's listing gave, which decides in place of `lstat`.
  static func openRegularFile(_ name: String, in folder: Int32, path: String, listed: EntryKind? = nil) -> Result<
    (fd: Int32, size: Int64), OpenFailure
  > {
    // Decide the kind first (lstat, or the listing): a socket, device or FIFO is never opened at all.
    var before = stat()
    if let listed {
      guard listed == .regularFile else { return .failure(.notRegular(listed)) }
    } else if fstatat(folder, name, &before, AT_SYMLINK_NOFOLLOW) == 0 {
      let kind = EntryKind(mode: before.st_mode)
      guard kind == .regularFile else { return .failure(.notRegular(kind)) }
    }
    let fd = openat(folder, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
    guard fd >= 0 else {
      let code = errno
      if code == ELOOP { return .failure(.notRegular(.symbolicLink)) }
      return .failure(.system(SystemError(call: "open", path: path, errno: code)))
    }
    var info = stat()
    guard fstat(fd, &info) == 0 else {
      let error = SystemError(call: "fstat", path: path, errno: errno)
      close(fd)
      return .failure(.system(error))
    }
    let kind = EntryKind(mode: info.st_mode)
    // The same inode as lstat saw: a file swapped in between is not read.
    guard kind == .regularFile, before.st_ino == 0 || (before.st_ino == info.st_ino && before.st_dev == info.st_dev)
    else {
      close(fd)
      return .failure(
        kind == .regularFile ? .system(SystemError(call: "open", path: path, errno: EAGAIN)) : .notRegular(kind))
    }
    // O_NONBLOCK stays: it only guarded the open, and Linux ignores it when reading a regular
    // file; `readRegular` clears it should a file system answer EAGAIN all the same.
    return .success((fd, Int64(info.st_size)))
  }

  /// Reads from a file `openRegularFile` opened, as `read` does. Its `O_NONBLOCK` (which guarded
  /// the open) is cleared on the first `EAGAIN` and the read made again — a system call saved
  /// for every file on the file systems that ignore it for regular files.
  static func readRegular(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, path: String)
    -> Result<Int, SystemError>
  {
    let result = read(fd, into: buffer, path: path)
    guard case .failure(let error) = result, error.errno == EAGAIN || error.errno == EWOULDBLOCK else { return result }
    blocking(fd)
    return read(fd, into: buffer, path: path)
  }

  /// Clears `O_NONBLOCK`: of the flags F_SETFL can change, it is the only one `openRegularFile`
  /// sets, so 0 clears it alone. The corresponding C function is `fcntl`.
  static func blocking(_ fd: Int32) { _ = fcntl(fd, F_SETFL, 0) }

  /// The identity of an open file's current version: device, inode, size, modification and
  /// change times to the nanosecond. A rewrite in place changes the change time even when the
  /// size and modification time are forged back.
  /// The corresponding C function is `fstat`.
  public static func identity(fd: Int32) -> (text: String, mtime: Int64) {
    var info = stat()
    guard fstat(fd, &info) == 0 else { return ("unknown", 0) }
    return (FileStamp(info).text, Int64(info.st_mtim.tv_sec))
  }

  /// A regular file's identity (as `identity(fd:)`, kept as numbers) and size without opening
  /// it: the path is not followed (a symbolic link is `notRegular`), and a file this process may
  /// not read is `system(EACCES)`, as opening it would be. The scan and the packager's
  /// before/after checks use it, so that an upload is opened only to be judged and to be copied.
  /// The corresponding C functions are `lstat` and `faccessat` (effective IDs).
  static func statRegularFile(_ path: String) -> Result<(stamp: FileStamp, mtime: Int64, size: Int64), OpenFailure> {
    statRegularFile(path, in: AT_FDCWD, path: path)
  }

  /// `statRegularFile(_:)` for the entry `name` of the open folder `folder`.
  /// The corresponding C functions are `fstatat` and `faccessat`.
  static func statRegularFile(_ name: String, in folder: Int32, path: String) -> Result<
    (stamp: FileStamp, mtime: Int64, size: Int64), OpenFailure
  > {
    var info = stat()
    guard fstatat(folder, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else {
      return .failure(.system(SystemError(call: "lstat", path: path, errno: errno)))
    }
    let kind = EntryKind(mode: info.st_mode)
    guard kind == .regularFile else { return .failure(.notRegular(kind)) }
    guard faccessat(folder, name, R_OK, AT_EACCESS) == 0 else {
      return .failure(.system(SystemError(call: "open", path: path, errno: errno)))
    }
    return .success((FileStamp(info), Int64(info.st_mtim.tv_sec), Int64(info.st_size)))
  }

  /// Why a file could not be opened for reading.
  public enum OpenFailure: Error, Sendable {
    case notRegular(EntryKind)
    case system(SystemError)
  }

  /// Reads a whole small regular file (a CSV, `school.json`, `item.json`), refusing more than
  /// `maxBytes`.
  public static func readSmallFile(_ path: String, maxBytes: Int) -> Result<[UInt8], ReadFailure> {
    readSmallFile(path, in: AT_FDCWD, path: path, maxBytes: maxBytes)
  }

  /// `readSmallFile(_:maxBytes:)` for the file `name` of the open folder `folder`.
  static func readSmallFile(
    _ name: String, in folder: Int32, path: String, maxBytes: Int, listed: EntryKind? = nil
  ) -> Result<[UInt8], ReadFailure> {
    let fd: Int32
    let size: Int64
    switch openRegularFile(name, in: folder, path: path, listed: listed) {
    case .failure(let failure): return .failure(.open(failure))
    case .success(let opened): (fd, size) = opened
    }
    defer { close(fd) }
    guard size <= maxBytes else { return .failure(.tooLarge(size)) }
    var bytes = [UInt8](repeating: 0, count: Int(size) + 1)
    var total = 0
    while true {
      if total == bytes.count {
        guard total <= maxBytes else { return .failure(.tooLarge(Int64(total))) }
        bytes.append(contentsOf: repeatElement(0, count: 4096))
      }
      let asked = bytes.count - total
      let read = bytes.withUnsafeMutableBytes { raw in
        readRegular(fd, into: UnsafeMutableRawBufferPointer(rebasing: raw[total...]), path: path)
      }
      let got: Int
      switch read {
      case .success(let count): got = count
      case .failure(let error): return .failure(.open(.system(error)))
      }
      if got == 0 { break }
      total += got
      // A short read that brings the file to the size fstat gave is its end: no read for the 0.
      if got < asked, Int64(total) == size { break }
    }
    guard total <= maxBytes else { return .failure(.tooLarge(Int64(total))) }
    return .success(Array(bytes[0..<total]))
  }

  /// Why a small file could not be read.
  public enum ReadFailure: Error, Sendable {
    case open(OpenFailure)
    case tooLarge(Int64)
  }
}
