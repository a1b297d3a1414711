import CDirectory

#if canImport(Glibc)
  import Glibc
#endif

extension FileSystem {
  /// Opens the folder `name` of the open folder `parent` (`AT_FDCWD`: a path) to list it and to
  /// look at its entries by name, without resolving its path again; never follows a link.
  /// `path` says where it is, for errors. The caller closes the descriptor.
  /// The corresponding C function is `openat` (`O_DIRECTORY | O_NOFOLLOW`).
  static func openFolder(_ name: String, in parent: Int32, path: String) -> Result<Int32, SystemError> {
    let fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
    guard fd >= 0 else { return .failure(SystemError(call: "open", path: path, errno: errno)) }
    return .success(fd)
  }

  /// The names the open folder `folder` lists from its current position (a folder just opened:
  /// all of them), without `.` and `..`, in byte order.
  /// The corresponding C function is `getdents64`.
  static func names(ofFolder folder: Int32, path: String) -> Result<[DirectoryName], SystemError> {
    var names: [DirectoryName] = []
    let failure: SystemError? = withUnsafeTemporaryAllocation(byteCount: 32_768, alignment: 8) { buffer in
      while true {
        let filled = portfolio_read_directory(folder, buffer.baseAddress, buffer.count)
        if filled == 0 { return nil }
        guard filled > 0 else { return SystemError(call: "readdir", path: path, errno: errno) }
        appendEntries(UnsafeRawBufferPointer(rebasing: buffer[0..<Int(filled)]), to: &names)
      }
    }
    if let failure { return .failure(failure) }
    names.sort { $0.bytes.lexicographicallyPrecedes($1.bytes) }
    return .success(names)
  }

  /// The kind a `d_type` says (`DT_*`: the file type bits of `st_mode`, shifted right by 12), or
  /// `nil` for `DT_UNKNOWN`.
  static func listedKind(_ type: UInt8) -> EntryKind? {
    type == 0 ? nil : EntryKind(mode: mode_t(type) << 12)
  }

  /// The names of the `struct linux_dirent64` records in `records`: each is an inode (8 bytes),
  /// an offset (8), its own length (2), a type (1: `DT_UNKNOWN` when the file system does not
  /// say) and the name, ended by a 0 byte.
  private static func appendEntries(_ records: UnsafeRawBufferPointer, to names: inout [DirectoryName]) {
    var at = 0
    while at + 19 < records.count {
      let length = Int(records.loadUnaligned(fromByteOffset: at + 16, as: UInt16.self))
      guard length > 19, at + length <= records.count else { return }
      let field = records[(at + 19)..<(at + length)]
      let name = Array(field.prefix { $0 != 0 })
      let type = records[at + 18]
      at += length
      if name == [0x2E] || name == [0x2E, 0x2E] { continue }
      names.append(DirectoryName(bytes: name, kind: listedKind(type)))
    }
  }
}

/// A folder whose entries are looked at by name: an open descriptor and the path it was opened
/// by (for messages), or — when it could not be opened — `AT_FDCWD` and its path, so that each
/// entry is looked up by its whole path as before.
struct FolderAt {
  let fd: Int32
  let path: String

  /// Opens `path` (`name` in `parent`); a folder that cannot be opened is looked into by path.
  static func open(_ name: String, in parent: FolderAt) -> (folder: FolderAt, failure: SystemError?) {
    let path = parent.path(of: name)
    switch FileSystem.openFolder(parent.name(name), in: parent.fd, path: path) {
    case .success(let fd): return (FolderAt(fd: fd, path: path), nil)
    case .failure(let error): return (FolderAt(fd: AT_FDCWD, path: path), error)
    }
  }

  /// What to hand the `…at` calls for the entry `name`.
  func name(_ name: String) -> String { fd == AT_FDCWD ? path(of: name) : name }

  func path(of name: String) -> String { path + "/" + name }

  /// The kind of its entry `name`, without following a link (`FileSystem.entry`).
  func entry(_ name: String) -> Result<(kind: EntryKind, size: Int64, mtime: Int64), SystemError> {
    FileSystem.entry(self.name(name), in: fd, path: path(of: name))
  }

  /// Its regular file `name`'s identity and size, unopened (`FileSystem.statRegularFile`).
  func statRegularFile(_ name: String) -> Result<
    (stamp: FileStamp, mtime: Int64, size: Int64), FileSystem.OpenFailure
  > {
    FileSystem.statRegularFile(self.name(name), in: fd, path: path(of: name))
  }

  /// Its small regular file `name`, whole (`FileSystem.readSmallFile`; `listed`: the kind the
  /// listing gave).
  func readSmallFile(_ name: String, maxBytes: Int, listed: EntryKind?) -> Result<[UInt8], FileSystem.ReadFailure> {
    FileSystem.readSmallFile(self.name(name), in: fd, path: path(of: name), maxBytes: maxBytes, listed: listed)
  }

  /// The names it lists, or why it cannot be listed.
  func names() -> Result<[DirectoryName], SystemError> {
    fd == AT_FDCWD ? FileSystem.names(in: path) : FileSystem.names(ofFolder: fd, path: path)
  }

  /// Closes the descriptor (a folder looked into by path has none).
  func close() { if fd != AT_FDCWD { _ = Glibc.close(fd) } }
}
