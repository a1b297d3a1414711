import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Every path a command is given is checked for what it must be before any work, with a
/// message that names it: a wrong path is a usage error (exit 64), never a wrong diagnosis
/// ("corrupt archive", "student not registered") further on.
public enum PathCheck {
  /// What a path argument is for, in the messages.
  public enum Role: Sendable {
    case drop, receivingDrop, shardFolder, package, pipelineFile, passwordFile, receipt, submitted

    var english: String {
      switch self {
      case .drop: "the drop directory"
      case .receivingDrop: "the receiving drop directory (--into)"
      case .shardFolder: "the shard output folder"
      case .package: "the package"
      case .pipelineFile: "the pipeline file"
      case .passwordFile: "the password file"
      case .receipt: "the receipt (收訖明細)"
      case .submitted: "the submitted rosters' folder (--submitted)"
      }
    }

    var chinese: String {
      switch self {
      case .drop: "交換資料夾"
      case .receivingDrop: "接收學校的交換資料夾（--into）"
      case .shardFolder: "分片的輸出資料夾"
      case .package: "封包"
      case .pipelineFile: "流程設定檔"
      case .passwordFile: "密碼檔"
      case .receipt: "收訖明細"
      case .submitted: "提交名冊的資料夾（--submitted）"
      }
    }
  }

  /// `path` exists and is a folder (symbolic links followed: a path the operator gives may be one).
  public static func folder(_ path: String, role: Role) throws(EnvironmentError) {
    let kind = try existing(path, role: role, missing: role == .drop ? .dropNotFound : .pathNotFound)
    guard kind == .directory else {
      throw EnvironmentError(
        role == .drop ? .dropNotAFolder : .notAFolder, path: path,
        en: "\(role.english) must be a folder, but this is a \(kind.rawValue)",
        zh: "\(role.chinese)必須是資料夾，但這是\(kind.chinese)。", fix: "Give the folder itself.", fixZH: "請指定資料夾本身。")
    }
  }

  /// `path` exists and is a regular file.
  public static func file(_ path: String, role: Role) throws(EnvironmentError) {
    let kind = try existing(path, role: role, missing: .pathNotFound)
    guard kind == .regularFile else {
      throw EnvironmentError(
        .notAFile, path: path, en: "\(role.english) must be a file, but this is a \(kind.rawValue)",
        zh: "\(role.chinese)必須是檔案，但這是\(kind.chinese)。", fix: "Give the file itself.", fixZH: "請指定檔案本身。")
    }
  }

  /// `path` is a regular file that starts like a zip archive (`PK`). A zip that is cut short or
  /// tampered with is still a zip: the package checks judge it (`corrupt-archive`).
  public static func zip(_ path: String, role: Role) throws(EnvironmentError) {
    try file(path, role: role)
    guard let bytes = prefix(path, count: 4) else {
      throw EnvironmentError(
        .notAFile, path: path, en: "\(role.english) cannot be read", zh: "\(role.chinese)無法讀取。",
        fix: "Let the user that runs portfolio read it.", fixZH: "請讓執行 portfolio 的帳號可以讀取這個檔案。")
    }
    guard bytes.starts(with: [0x50, 0x4B]) else {
      throw EnvironmentError(
        .notAZip, path: path,
        en:
          "\(role.english) is not a zip archive (it starts with \(bytes.map { StrictJSON.hex($0) }.joined(separator: " ")))",
        zh: "\(role.chinese)不是 zip 壓縮檔。", fix: "Give the .zip file the other school or the central database sent.",
        fixZH: "請指定對方學校或中央資料庫提供的 .zip 檔。")
    }
  }

  /// The first `count` bytes of a file the operator named (a symbolic link is followed).
  private static func prefix(_ path: String, count: Int) -> [UInt8]? {
    let fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var bytes = [UInt8](repeating: 0, count: count)
    let got = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress, count) }
    return got < 0 ? nil : Array(bytes.prefix(got))
  }

  private static func existing(
    _ path: String, role: Role, missing: EnvironmentError.Code
  ) throws(EnvironmentError) -> EntryKind {
    var info = stat()
    guard stat(path, &info) == 0 else {
      let error = SystemError(call: "stat", path: path, errno: errno)
      throw EnvironmentError(
        missing, path: path,
        en: error.isMissing ? "\(role.english) does not exist" : "\(role.english) cannot be opened: \(error.message)",
        zh: error.isMissing ? "找不到\(role.chinese)。" : "\(role.chinese)無法開啟。",
        fix: error.isMissing
          ? "Check the path (a typing mistake?) and run again." : "Let the user that runs portfolio read it.",
        fixZH: error.isMissing ? "請檢查路徑是否打錯後再執行。" : "請讓執行 portfolio 的帳號可以讀取。")
    }
    return EntryKind(mode: info.st_mode)
  }
}
