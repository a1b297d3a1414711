import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Where a writer's bytes go as they are made.
protocol ByteSink {
  func write(_ bytes: [UInt8]) throws(SystemError)
}

/// The temporary file of an output being streamed: bytes written as they come.
public final class FileSink: ByteSink {
  let fd: Int32
  let path: String

  init(fd: Int32, path: String) {
    self.fd = fd
    self.path = path
  }

  public func write(_ bytes: UnsafeRawBufferPointer) throws(SystemError) {
    try FileSystem.writeAll(fd, bytes, path: path)
  }

  public func write(_ bytes: [UInt8]) throws(SystemError) {
    let failure: SystemError? = bytes.withUnsafeBytes { raw in
      do throws(SystemError) {
        try write(raw)
        return nil
      } catch {
        return error
      }
    }
    if let failure { throw failure }
  }

  public func write(_ bytes: some Collection<UInt8>) throws(SystemError) { try write(Array(bytes)) }
}

/// An output too large to build in memory first (report.json, rejections.csv, report.html of a
/// whole school), written as it is made: to a temporary name in the same folder, then `fsync`,
/// `rename` and a `fsync` of the folder, as `AtomicFile.write` does — never half-written under
/// its final name.
extension AtomicFile {
  /// Calls `body` with the temporary file; when it returns, makes the file durable and renames
  /// it to `path`. On any error the temporary file is removed.
  public static func stream(to path: String, privateFile: Bool = false, _ body: (FileSink) throws -> Void) throws {
    let output = try OpenOutput(path: path, privateFile: privateFile)
    try body(output.sink)
    try output.commit()
  }

  /// `text` written without first copying it into an array (a staff report can be tens of MB).
  public static func write(_ text: String, to path: String, privateFile: Bool = false) throws {
    var text = text
    try text.withUTF8 { utf8 in
      try stream(to: path, privateFile: privateFile) { sink in try sink.write(UnsafeRawBufferPointer(utf8)) }
    }
  }
}

/// A page written piece by piece: into a file a megabyte at a time (`AtomicFile.stream`), or
/// into memory (tests, and callers that want the text). Either way the bytes are the same.
public final class PageSink {
  private var buffer: [UInt8] = []
  private let file: FileSink?
  private let flushAt = 1 << 20

  /// A sink that keeps the page in memory: `text` when done.
  public init() { file = nil }

  init(file: FileSink) {
    self.file = file
    buffer.reserveCapacity(flushAt + 4096)
  }

  public func append(_ piece: String) throws {
    buffer.append(contentsOf: piece.utf8)
    if let file, buffer.count >= flushAt {
      try file.write(buffer)
      buffer.removeAll(keepingCapacity: true)
    }
  }

  public func append(bytes piece: [UInt8]) throws {
    buffer += piece
    if let file, buffer.count >= flushAt {
      try file.write(buffer)
      buffer.removeAll(keepingCapacity: true)
    }
  }

  /// What is still buffered, written to the file.
  func finish() throws {
    if let file, !buffer.isEmpty { try file.write(buffer) }
    buffer.removeAll()
  }

  /// The page kept in memory.
  public var text: String { String(decoding: buffer, as: UTF8.self) }
}

extension AtomicFile {
  /// A page streamed to `path` through a `PageSink` as `body` makes it.
  public static func page(to path: String, _ body: (PageSink) throws -> Void) throws {
    try stream(to: path) { file in
      let sink = PageSink(file: file)
      try body(sink)
      try sink.finish()
    }
  }
}

/// An output written over a longer time than one call (a run's report.json, a part at a time):
/// its temporary file open until `commit` makes it durable and renames it to its final name.
/// Dropped without a commit (an error, a run that stops), the temporary file is removed.
final class OpenOutput {
  let path: String
  let sink: FileSink
  private let temporary: String
  private let folder: String
  private var done = false

  init(path: String, privateFile: Bool = false) throws(SystemError) {
    self.path = path
    (folder, temporary) = AtomicFile.temporaryName(for: path)
    let mode: mode_t = privateFile ? 0o600 : 0o644
    let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode)
    guard fd >= 0 else { throw SystemError(call: "open", path: temporary, errno: errno) }
    sink = FileSink(fd: fd, path: temporary)
    // The mode the user's umask gives, set explicitly (libzip flips the process-wide umask).
    if fchmod(fd, mode & ~AtomicFile.userUmask) != 0 {
      let failure = SystemError(call: "fchmod", path: temporary, errno: errno)
      abandon()
      throw failure
    }
  }

  deinit { abandon() }

  /// Syncs the file, renames it to `path` and syncs the folder.
  func commit() throws(SystemError) {
    guard !done else { return }
    if fsync(sink.fd) != 0 {
      let failure = SystemError(call: "fsync", path: temporary, errno: errno)
      abandon()
      throw failure
    }
    close(sink.fd)
    done = true
    if rename(temporary, path) != 0 {
      let failure = SystemError(call: "rename", path: path, errno: errno)
      unlink(temporary)
      throw failure
    }
    AtomicFile.syncFolder(folder.isEmpty ? "." : folder)
  }

  /// Closes and removes the temporary file (nothing under the final name).
  func abandon() {
    guard !done else { return }
    done = true
    close(sink.fd)
    unlink(temporary)
  }
}
