#if canImport(Glibc)
  import Glibc
#endif

extension PathCheck {
  /// The output folder of a command or pipeline: a folder (or one that can be created), writable
  /// by this user, and never the drop directory or inside it — compared by real paths, so a
  /// symbolic link to the drop (or to a folder inside it) is seen through.
  public static func output(_ output: String, drop: String?) throws(EnvironmentError) {
    let real = realPath(output)
    if let drop {
      let dropReal = realPath(drop)
      if real == dropReal || real.hasPrefix(dropReal == "/" ? "/" : dropReal + "/") {
        throw EnvironmentError(
          .outputInsideDrop, path: output,
          en: "the output folder is the drop directory or inside it (\(real)); the pipeline never writes there",
          zh: "輸出資料夾在交換資料夾裡面；系統不會寫入交換資料夾。",
          fix: "Choose an output folder outside the drop directory (for example beside it).",
          fixZH: "請指定交換資料夾以外的輸出資料夾（例如放在它旁邊）。")
      }
    }
    // The folder itself, or the nearest folder above it that exists, must be writable.
    var existing = output
    var info = stat()
    while stat(existing, &info) != 0 {
      let parent = parentPath(existing)
      if parent == existing { break }
      existing = parent
    }
    let kind = EntryKind(mode: info.st_mode)
    if kind != .directory {
      throw EnvironmentError(
        .notAFolder, path: existing,
        en:
          "the output folder\(existing == output ? "" : " \(output)") cannot be made: \(existing) is a \(kind.rawValue)",
        zh: "輸出資料夾無法建立：\(existing) 是\(kind.chinese)，不是資料夾。",
        fix: "Give a folder (or a path where a new folder can be made).", fixZH: "請指定一個資料夾（或可以建立資料夾的位置）。")
    }
    if access(existing, W_OK | X_OK) != 0 {
      throw EnvironmentError(
        .outputNotWritable, path: existing,
        en: "the output folder cannot be written: \(existing) is not writable by this user",
        zh: "輸出資料夾無法寫入（權限不足）。",
        fix: "Give a folder the user that runs portfolio may write, or change its owner.",
        fixZH: "請指定執行 portfolio 的帳號可以寫入的資料夾，或調整擁有者。")
    }
  }

  /// The real path of `path` (symbolic links, `.` and `..` resolved) even when its last parts do
  /// not exist yet: the deepest existing ancestor is resolved and the rest appended.
  public static func realPath(_ path: String) -> String {
    let absolute = path.hasPrefix("/") ? path : currentFolder() + "/" + path
    var head = absolute
    var tail: [String] = []
    while true {
      if let resolved = realpath(head, nil) {
        defer { free(resolved) }
        return normalized(String(cString: resolved), tail.reversed())
      }
      let parent = parentPath(head)
      if parent == head { return normalized("/", tail.reversed()) }
      tail.append(String(head.split(separator: "/").last ?? ""))
      head = parent
    }
  }

  /// `base` followed by `parts`, with `.` and `..` applied (the parts do not exist: no link to follow).
  private static func normalized(_ base: String, _ parts: [String]) -> String {
    var components = base.split(separator: "/").map(String.init)
    for part in parts {
      switch part {
      case "", ".": continue
      case "..": if !components.isEmpty { components.removeLast() }
      default: components.append(part)
      }
    }
    return "/" + components.joined(separator: "/")
  }

  private static func parentPath(_ path: String) -> String {
    var parts = path.split(separator: "/", omittingEmptySubsequences: true)
    guard !parts.isEmpty else { return "/" }
    parts.removeLast()
    return path.hasPrefix("/")
      ? "/" + parts.joined(separator: "/") : (parts.isEmpty ? "." : parts.joined(separator: "/"))
  }

  private static func currentFolder() -> String {
    guard let buffer = getcwd(nil, 0) else { return "/" }
    defer { free(buffer) }
    return String(cString: buffer)
  }
}
