import Digest
import Foundation

/// What identifies this build of the program: the SHA-256 of its own executable.
enum ProgramIdentity {
  /// The hash of `/proc/self/exe` (computed once, streaming), or `nil` when it cannot be read.
  static func executableHash() -> String? {
    // /proc/self/exe is a symbolic link, and regular files are opened without following links.
    guard let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"),
      case .success(let opened) = FileSystem.openRegularFile(executable),
      let hasher = try? SHA256Hasher()
    else { return nil }
    defer { close(opened.fd) }
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
    defer { buffer.deallocate() }
    while case .success(let got) = FileSystem.read(opened.fd, into: buffer), got > 0 {
      hasher.update(UnsafeRawBufferPointer(rebasing: buffer[0..<got]))
    }
    return try? hasher.finish()
  }
}
