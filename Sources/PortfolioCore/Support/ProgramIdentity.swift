import Digest
import Foundation

/// What identifies this build of the program: the SHA-256 of its own executable.
enum ProgramIdentity {
  /// The hash of `/proc/self/exe` (computed once, streaming), or `nil` when it cannot be read.
  static func executableHash() -> String? {
    // /proc/self/exe is a symbolic link, and regular files are opened without following links.
    guard let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else {
      return nil
    }
    return FileSystem.sha256(ofFileAt: executable)
  }
}

extension FileSystem {
  /// The SHA-256 of a whole regular file, read streaming in 1 MiB chunks; `nil` when it cannot
  /// be opened or read.
  static func sha256(ofFileAt path: String) -> String? {
    guard case .success(let opened) = openRegularFile(path), let hasher = try? DigestHasher(.sha256) else { return nil }
    defer { close(opened.fd) }
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
    defer { buffer.deallocate() }
    while true {
      switch read(opened.fd, into: buffer, path: path) {
      case .success(0): return try? hasher.finish()
      case .success(let got): hasher.update(UnsafeRawBufferPointer(rebasing: buffer[0..<got]))
      case .failure: return nil
      }
    }
  }
}
