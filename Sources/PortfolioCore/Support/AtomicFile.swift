import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Writes files so that no half-written file is ever visible under its final name: a
/// temporary name in the same folder, `fsync`, `rename`, then `fsync` of the folder.
public enum AtomicFile {
  /// `privateFile`: created owner-only (0600) whatever the umask — for outputs that carry ID
  /// numbers (docs/environment-errors.md lists them).
  public static func write(_ bytes: [UInt8], to path: String, privateFile: Bool = false) throws(SystemError) {
    let (folder, temporary) = temporaryName(for: path)
    do throws(SystemError) {
      try writeTemporary(bytes, to: temporary, sync: true, mode: privateFile ? 0o600 : 0o644)
      if rename(temporary, path) != 0 { throw SystemError(call: "rename", path: path, errno: errno) }
    } catch {
      unlink(temporary)
      throw error
    }
    syncFolder(folder.isEmpty ? "." : folder)
  }

  /// The folder of `path` and the temporary name its file is written under first:
  /// `.{name}.tmp-{pid}` beside it (what `removeStaleTemporaries` recognises).
  static func temporaryName(for path: String) -> (folder: String, temporary: String) {
    let folder = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
    let name = path.split(separator: "/").last.map(String.init) ?? path
    return (folder, (folder.isEmpty ? "" : folder + "/") + ".\(name).tmp-\(getpid())")
  }

  /// Creates `temporary` with `bytes` (EINTR retried), optionally `fsync`ed; the caller renames it.
  static func writeTemporary(_ bytes: [UInt8], to temporary: String, sync: Bool, mode: mode_t = 0o644)
    throws(SystemError)
  {
    let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode)
    guard fd >= 0 else { throw SystemError(call: "open", path: temporary, errno: errno) }
    defer { close(fd) }
    // The mode the user's umask gives, set explicitly: libzip flips the process-wide umask
    // while it writes a zip on another thread, and open() would see its value.
    if fchmod(fd, mode & ~Self.userUmask) != 0 { throw SystemError(call: "fchmod", path: temporary, errno: errno) }
    let failure: SystemError? = bytes.withUnsafeBytes { raw in
      do throws(SystemError) {
        try FileSystem.writeAll(fd, raw, path: temporary)
        return nil
      } catch {
        return error
      }
    }
    if let failure { throw failure }
    if sync && fsync(fd) != 0 { throw SystemError(call: "fsync", path: temporary, errno: errno) }
  }

  /// Makes renames in `folder` durable.
  static func syncFolder(_ folder: String) {
    let directory = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard directory >= 0 else { return }
    _ = fsync(directory)
    close(directory)
  }

  /// Flushes the file system that holds `folder` — only that one (`syncfs`), not every disk
  /// of the server as `sync` would (on a school server beside a busy web platform that can take
  /// seconds and is not ours to wait for). Glibc's module does not export `syncfs`: looked up
  /// once by name; where it is missing or fails, `sync`.
  static func syncFileSystem(of folder: String) {
    let directory = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    defer { if directory >= 0 { close(directory) } }
    if directory >= 0, let syncfs = Self.syncfs, syncfs(directory) == 0 { return }
    sync()
  }

  typealias SyncFSFunction = @convention(c) (Int32) -> Int32
  static let syncfs: SyncFSFunction? = HeapTrim.function("syncfs")

  /// Writes many files into one folder the same way, but with a single flush for all of them
  /// instead of one `fsync` each: every temporary file is written, the folder's file system is
  /// flushed once (`syncFileSystem`), then each is renamed into place and the folder is synced.
  public static func writeAll(_ files: [(name: String, bytes: [UInt8])], in folder: String) throws(SystemError) {
    try writeAll(in: folder) {
      (emit: ([(name: String, bytes: [UInt8])]) throws(SystemError) -> Void) throws(SystemError) in
      try emit(files)
    }
  }

  /// `writeAll` for files made a batch at a time (a school's notices): `produce` hands each
  /// batch to `emit`, which writes its temporary files, so only one batch is in memory; the
  /// disks are synced once at the end and every file renamed into place.
  public static func writeAll(
    in folder: String,
    _ produce: (_ emit: ([(name: String, bytes: [UInt8])]) throws(SystemError) -> Void) throws(SystemError) -> Void
  ) throws(SystemError) {
    let batch = Batch(folder: folder)
    try produce { (files: [(name: String, bytes: [UInt8])]) throws(SystemError) in try batch.emit(files) }
    try batch.commit()
  }

  /// Files of one folder written over many calls (a school's notices, a part of the run at a
  /// time) and renamed into place together by `commit`; a batch dropped without a commit
  /// removes its temporary files.
  final class Batch {
    let folder: String
    private var temporaries: [(String, String)] = []

    init(folder: String) { self.folder = folder }

    deinit { for (temporary, _) in temporaries { unlink(temporary) } }

    /// Writes `files` under temporary names.
    func emit(_ files: [(name: String, bytes: [UInt8])]) throws(SystemError) {
      for (name, bytes) in files {
        // A file that already holds exactly these bytes is left alone (nightly reruns change little).
        if case .success(let current) = FileSystem.readSmallFile(folder + "/" + name, maxBytes: bytes.count),
          current == bytes
        {
          continue
        }
        let temporary = folder + "/.\(name).tmp-\(getpid())"
        temporaries.append((temporary, folder + "/" + name))
        try writeTemporary(bytes, to: temporary, sync: false)
      }
    }

    /// Syncs the disk once and renames every file written into place.
    func commit() throws(SystemError) {
      guard !temporaries.isEmpty else { return }
      syncFileSystem(of: folder)
      for (temporary, final) in temporaries {
        guard rename(temporary, final) == 0 else { throw SystemError(call: "rename", path: final, errno: errno) }
      }
      temporaries = []
      syncFolder(folder)
    }
  }

  /// Creates a folder of this program's own (packages/, rosters/, ledger-backups/) for outputs
  /// that carry ID numbers or names: owner-only (0700) whatever the umask, also when it exists.
  public static func makePrivateFolder(_ path: String) throws(SystemError) {
    try makeFolder(path)
    if chmod(path, 0o700) != 0 { throw SystemError(call: "chmod", path: path, errno: errno) }
  }

  /// Makes a file this program wrote owner-only (0600): an output that carries ID numbers.
  public static func makePrivate(_ path: String) throws(SystemError) {
    if chmod(path, 0o600) != 0 { throw SystemError(call: "chmod", path: path, errno: errno) }
  }

  /// Creates a folder and its parents (like `mkdir -p`), each new one 0755 less the user's umask.
  public static func makeFolder(_ path: String) throws(SystemError) {
    var current = path.hasPrefix("/") ? "" : "."
    for part in path.split(separator: "/") {
      current += "/" + part
      if mkdir(current, 0o755) == 0 {
        _ = chmod(current, 0o755 & ~userUmask)
      } else if errno != EEXIST {
        throw SystemError(call: "mkdir", path: current, errno: errno)
      }
    }
  }

  /// The umask the program was started with, read from `/proc/self/status` (reading it with
  /// `umask()` would change it for a moment, for every thread). 022 when it cannot be read.
  public static let userUmask: mode_t = {
    guard case .success(let bytes) = FileSystem.readSmallFile("/proc/self/status", maxBytes: 1 << 16) else {
      return 0o022
    }
    let line = String(decoding: bytes, as: UTF8.self).split(separator: "\n").first { $0.hasPrefix("Umask:") }
    let digits = line?.dropFirst("Umask:".count).trimmingCharacters(in: .whitespaces) ?? ""
    return mode_t(digits, radix: 8) ?? 0o022
  }()
}

extension AtomicFile {
  /// Removes the temporaries a killed run of this program left in `folder` (`.{name}.tmp-{pid}`,
  /// `.{name}.partial-{pid}` and libzip's `.{name}.partial-{pid}.XXXXXX`) whose process is gone: never a final name, never a
  /// temporary of a run still going, never a file this program did not write.
  public static func removeStaleTemporaries(in folder: String) {
    for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where name.hasPrefix(".") {
      // libzip writes its own temporary beside ours: `.{name}.partial-{pid}.XXXXXX`.
      guard let marker = name.range(of: #"\.(tmp|partial)-[0-9]+(\.[A-Za-z0-9]{6})?$"#, options: .regularExpression),
        let pid = Int32(name[marker].split(separator: "-").last?.split(separator: ".").first ?? "")
      else { continue }
      if kill(pid, 0) != 0 && errno == ESRCH { unlink(folder + "/" + name) }
    }
  }
}
