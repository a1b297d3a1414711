import Digest
import Foundation
import Synchronization

/// A fingerprint of a drop directory from `stat` alone: the SHA-256 of every entry's path and
/// identity (kind, inode, size, modification and change times), walked without following links.
/// Equal fingerprints mean nothing in the drop changed since the fingerprint was taken.
public enum DropFingerprint {
  /// With `shard`, only that shard's student folders are walked (the rest are another shard's).
  public static func compute(_ drop: String, jobs: Int = 2, shard: Shard? = nil) -> String {
    guard let hasher = try? DigestHasher(.sha256) else { return UUID().uuidString }
    var lines = LineHasher(hasher: hasher)
    for name in ["school.json", "students.csv", "courses.csv", "cadres.csv"] {
      lines.add(name + " " + identity(drop + "/" + name))
    }
    let uploads = drop + "/uploads"
    lines.add("uploads " + identity(uploads))
    let students = ((try? FileSystem.names(in: uploads).get()) ?? []).filter { shard?.excludes($0) != true }
    // Walked in parallel a chunk of students at a time and hashed in order: a school's
    // 80,000 lines are never all held (they were 27 MB at 4,800 students, and the holes they
    // left behind stayed in the process for the whole run).
    for chunk in stride(from: 0, to: students.count, by: Self.chunk) {
      let range = chunk..<min(chunk + Self.chunk, students.count)
      let parts = Mutex<[[String]]>(Array(repeating: [], count: range.count))
      let next = Atomic<Int>(range.lowerBound)
      DispatchQueue.concurrentPerform(iterations: max(1, min(jobs, range.count))) { _ in
        while true {
          let index = next.add(1, ordering: .relaxed).oldValue
          guard index < range.upperBound else { return }
          var part: [String] = []
          walk(
            uploads + "/" + students[index].display, relative: "uploads/" + students[index].display, depth: 0,
            into: &part)
          parts.withLock { $0[index - range.lowerBound] = part }
        }
      }
      for part in parts.withLock({ $0 }) { for line in part { lines.add(line) } }
    }
    return lines.finish()
  }

  /// Students walked at a time.
  static let chunk = 256

  /// Lines joined by line breaks, hashed as they come.
  struct LineHasher {
    let hasher: DigestHasher
    var count = 0

    mutating func add(_ line: String) {
      var newline: UInt8 = 0x0A
      if count > 0 { withUnsafeBytes(of: &newline) { hasher.update($0) } }
      var line = line
      line.withUTF8 { hasher.update(UnsafeRawBufferPointer($0)) }
      count += 1
    }

    func finish() -> String { (try? hasher.finish()) ?? UUID().uuidString }
  }

  /// The SHA-256 of the lines joined by line breaks, hashed a line at a time (a school's
  /// 80,000 lines are never one string).
  static func digest(_ lines: [String]) -> String {
    guard let hasher = try? DigestHasher(.sha256) else { return UUID().uuidString }
    var hashed = LineHasher(hasher: hasher)
    for line in lines { hashed.add(line) }
    return hashed.finish()
  }

  /// What every shard of one run must agree on, from `stat` and one listing: the drop's own
  /// files (school.json and the three tables) and the names in `uploads/`. A student's own
  /// folder is read by their shard alone, so it is not part of it.
  public static func shared(_ drop: String) -> String {
    var lines = ["school.json", "students.csv", "courses.csv", "cadres.csv", "uploads"].map { name in
      name + " " + identity(drop + "/" + name)
    }
    lines += ((try? FileSystem.names(in: drop + "/uploads").get()) ?? []).map { "uploads/" + $0.display }
    return digest(lines)
  }

  /// Entries down to the files of an item folder (student / item / file), never following links.
  /// Each folder is opened once and its entries are looked at relative to it (`fstatat`,
  /// `openat`): a school's 80,000 entries are not each resolved from the root again.
  static func walk(_ path: String, relative: String, depth: Int, into lines: inout [String]) {
    var info = stat()
    guard lstat(path, &info) == 0 else { return lines.append(relative + " missing") }
    lines.append(relative + " " + identity(info))
    guard depth < 2, info.st_mode & S_IFMT == S_IFDIR else { return }
    let folder = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
    if folder >= 0 { walkEntries(of: folder, relative: relative, depth: depth, into: &lines) }
  }

  /// The entries of the open folder `folder` (closed here), in byte order, and theirs below
  /// `depth` 2.
  private static func walkEntries(of folder: Int32, relative: String, depth: Int, into lines: inout [String]) {
    defer { close(folder) }
    // A folder that cannot be listed adds no entries (its own line says what it is).
    for entry in (try? FileSystem.names(ofFolder: folder, path: relative).get()) ?? [] {
      let (name, inner) = (entry.bytes, relative + "/" + entry.display)
      var info = stat()
      let found = withCName(name) { fstatat(folder, $0, &info, AT_SYMLINK_NOFOLLOW) == 0 } ?? false
      guard found else {
        lines.append(inner + " missing")
        continue
      }
      lines.append(inner + " " + identity(info))
      guard depth + 1 < 2, info.st_mode & S_IFMT == S_IFDIR else { continue }
      let child = withCName(name) { openat(folder, $0, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) } ?? -1
      if child >= 0 { walkEntries(of: child, relative: inner, depth: depth + 1, into: &lines) }
    }
  }

  /// `name`'s bytes as a C string (a name need not be UTF-8).
  private static func withCName<Result>(_ name: [UInt8], _ body: (UnsafePointer<CChar>) -> Result) -> Result? {
    let terminated = name.map { CChar(bitPattern: $0) } + [0]
    return terminated.withUnsafeBufferPointer { $0.baseAddress.map(body) }
  }

  static func identity(_ path: String) -> String {
    var info = stat()
    guard lstat(path, &info) == 0 else { return "missing" }
    return identity(info)
  }

  /// Kind, mode, inode, size, modification and change times.
  static func identity(_ info: stat) -> String {
    let kind = info.st_mode & S_IFMT == S_IFDIR ? "d" : "f"
    return
      "\(kind) \(info.st_mode) \(info.st_ino) \(info.st_size) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec) \(info.st_ctim.tv_sec).\(info.st_ctim.tv_nsec)"
  }
}
