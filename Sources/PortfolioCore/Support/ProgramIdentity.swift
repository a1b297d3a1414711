import Digest
import Foundation

/// What identifies this build of the program: the build ID the linker wrote into the executable
/// (`NT_GNU_BUILD_ID`, a hash of the linked program: every build that changes the program
/// changes it), read from a few hundred bytes of the ELF file; without one, the SHA-256 of the
/// whole executable (34 MB: 15 % of the CPU of a nightly run that finds nothing changed).
enum ProgramIdentity {
  /// The build ID of `/proc/self/exe`, or else its hash; `nil` when it cannot be read.
  static func executableHash() -> String? {
    // /proc/self/exe is a symbolic link, and regular files are opened without following links.
    guard let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else {
      return nil
    }
    return buildID(ofExecutableAt: executable) ?? FileSystem.sha256(ofFileAt: executable)
  }

  /// The GNU build ID (lowercase hex) of a 64-bit little-endian ELF file; `nil` for any other
  /// file or one without the note.
  static func buildID(ofExecutableAt path: String) -> String? {
    guard case .success(let opened) = FileSystem.openRegularFile(path) else { return nil }
    defer { close(opened.fd) }
    FileSystem.blocking(opened.fd)
    func bytes(at offset: UInt64, count: Int) -> [UInt8]? {
      guard count > 0, count <= 1 << 16, offset < UInt64(opened.size) else { return nil }
      var buffer = [UInt8](repeating: 0, count: count)
      let got = buffer.withUnsafeMutableBytes { pread(opened.fd, $0.baseAddress, count, off_t(offset)) }
      return got == count ? buffer : nil
    }
    // The ELF header: magic, 64-bit, little-endian; where the program headers are.
    guard let header = bytes(at: 0, count: 64), header[0..<6] == [0x7F, 0x45, 0x4C, 0x46, 2, 1] else { return nil }
    let headerOffset = header.little(UInt64.self, at: 0x20)
    let entrySize = Int(header.little(UInt16.self, at: 0x36))
    let entries = Int(header.little(UInt16.self, at: 0x38))
    guard entrySize >= 56, let table = bytes(at: headerOffset, count: entrySize * entries) else { return nil }
    for entry in 0..<entries {
      let base = entry * entrySize
      guard table.little(UInt32.self, at: base) == 4 else { continue }  // PT_NOTE
      let size = Int(min(table.little(UInt64.self, at: base + 32), 1 << 16))
      guard let notes = bytes(at: table.little(UInt64.self, at: base + 8), count: size) else { continue }
      if let found = Self.gnuBuildID(in: notes) { return found }
    }
    return nil
  }

  /// The descriptor of the `GNU` note of type 3 (`NT_GNU_BUILD_ID`) among `notes`, as hex.
  static func gnuBuildID(in notes: [UInt8]) -> String? {
    var at = 0
    while at + 12 <= notes.count {
      let nameSize = Int(notes.little(UInt32.self, at: at))
      let descriptorSize = Int(notes.little(UInt32.self, at: at + 4))
      let type = notes.little(UInt32.self, at: at + 8)
      let name = at + 12
      let descriptor = name + (nameSize + 3) & ~3
      guard nameSize <= notes.count, descriptorSize <= notes.count, descriptor + descriptorSize <= notes.count else {
        return nil
      }
      if type == 3, nameSize == 4, notes[name..<(name + 4)] == [0x47, 0x4E, 0x55, 0], descriptorSize > 0 {
        return notes[descriptor..<(descriptor + descriptorSize)].map { String(format: "%02x", $0) }.joined()
      }
      at = descriptor + (descriptorSize + 3) & ~3
    }
    return nil
  }
}

extension [UInt8] {
  /// The little-endian integer at `offset`.
  fileprivate func little<Value: FixedWidthInteger>(_: Value.Type, at offset: Int) -> Value {
    var value: Value = 0
    for index in (0..<MemoryLayout<Value>.size).reversed() { value = value << 8 | Value(self[offset + index]) }
    return value
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
      switch readRegular(opened.fd, into: buffer, path: path) {
      case .success(0): return try? hasher.finish()
      case .success(let got): hasher.update(UnsafeRawBufferPointer(rebasing: buffer[0..<got]))
      case .failure: return nil
      }
    }
  }
}
