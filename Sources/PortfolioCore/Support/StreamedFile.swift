import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The temporary file of an output being streamed: bytes written as they come.
public final class FileSink {
  let fd: Int32
  let path: String

  init(fd: Int32, path: String) {
    self.fd = fd
    self.path = path
  }

  public func write(_ bytes: UnsafeRawBufferPointer) throws(SystemError) {
    try FileSystem.writeAll(fd, bytes, path: path)
  }

  public func write(_ bytes: some Collection<UInt8>) throws(SystemError) {
    let failure: SystemError? = Array(bytes).withUnsafeBytes { raw in
      do throws(SystemError) {
        try write(raw)
        return nil
      } catch {
        return error
      }
    }
    if let failure { throw failure }
  }
}

/// An output too large to build in memory first (report.json, rejections.csv, report.html of a
/// whole school), written as it is made: to a temporary name in the same folder, then `fsync`,
/// `rename` and a `fsync` of the folder, as `AtomicFile.write` does — never half-written under
/// its final name.
extension AtomicFile {
  /// Calls `body` with the temporary file; when it returns, makes the file durable and renames
  /// it to `path`. On any error the temporary file is removed.
  public static func stream(to path: String, privateFile: Bool = false, _ body: (FileSink) throws -> Void) throws {
    let (folder, temporary) = temporaryName(for: path)
    let mode: mode_t = privateFile ? 0o600 : 0o644
    let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode)
    guard fd >= 0 else { throw SystemError(call: "open", path: temporary, errno: errno) }
    do {
      defer { close(fd) }
      // The mode the user's umask gives, set explicitly (libzip flips the process-wide umask).
      if fchmod(fd, mode & ~userUmask) != 0 { throw SystemError(call: "fchmod", path: temporary, errno: errno) }
      try body(FileSink(fd: fd, path: temporary))
      if fsync(fd) != 0 { throw SystemError(call: "fsync", path: temporary, errno: errno) }
    } catch {
      unlink(temporary)
      throw error
    }
    if rename(temporary, path) != 0 {
      let failure = SystemError(call: "rename", path: path, errno: errno)
      unlink(temporary)
      throw failure
    }
    syncFolder(folder.isEmpty ? "." : folder)
  }

  /// `text` written without first copying it into an array (a staff report can be tens of MB).
  public static func write(_ text: String, to path: String, privateFile: Bool = false) throws {
    var text = text
    try text.withUTF8 { utf8 in
      try stream(to: path, privateFile: privateFile) { sink in try sink.write(UnsafeRawBufferPointer(utf8)) }
    }
  }
}
