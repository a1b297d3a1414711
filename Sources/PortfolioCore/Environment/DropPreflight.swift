import Foundation

/// What every command reads of a drop before it touches any output: school.json and the three
/// tables, checked whole. A fault here is the school's side being broken (an Excel table saved
/// as Big5, school.json missing, no uploads/ folder): the command stops with an
/// ``EnvironmentError`` instead of going on with rules silently missing. Problems of single rows
/// stay findings, as ever.
public struct DropBasics: Sendable {
  public var school: SchoolSettings
  /// The school's time zone (Asia/Taipei unless school.json names another).
  public var timeZone: TimeZone
  /// The school's upload windows, parsed once in its time zone.
  public var windows: [UploadWindowDates]
  public var roster: Roster
  /// Row-level problems of the tables (a bad row, a duplicate student): findings.
  public var findings: [Finding]
}

public enum DropPreflight {
  /// The largest `school.json` we read.
  static let maxSchoolBytes = DropScanner.maxMetadataBytes

  /// Checks that `drop` is a usable drop directory and returns what it read.
  public static func check(_ drop: String) throws(EnvironmentError) -> DropBasics {
    try PathCheck.folder(drop, role: .drop)
    let school = try readSchool(drop)
    let (zone, windows) = try schoolTimes(school, path: drop + "/school.json")
    var findings: [Finding] = []
    let roster = try Roster.read(drop: drop, findings: &findings)
    try checkUploads(drop)
    return DropBasics(school: school, timeZone: zone, windows: windows, roster: roster, findings: findings)
  }

  // MARK: school.json

  static func readSchool(_ drop: String) throws(EnvironmentError) -> SchoolSettings {
    let path = drop + "/school.json"
    let bytes: [UInt8]
    switch FileSystem.readSmallFile(path, maxBytes: maxSchoolBytes) {
    case .success(let read): bytes = read
    case .failure(.open(.system(let error))) where error.isMissing:
      throw EnvironmentError(
        .schoolMissing, path: path,
        en: "school.json is missing: without it the school code, upload windows and caps are unknown",
        zh: "找不到 school.json：沒有它就不知道學校代碼、上傳期間與上限。",
        fix: "Put the school's school.json into the drop directory (docs/drop-contract.md shows one) and run again.",
        fixZH: "請把學校的 school.json 放進交換資料夾（範例見 docs/drop-contract.md）後再執行。")
    case .failure(let failure):
      throw unreadable(path, failure, what: "school.json", code: .schoolInvalid)
    }
    if let problem = StrictJSON.problem(in: bytes) {
      throw invalidSchool(path, problem.english, field: problem.field)
    }
    let school: SchoolSettings
    do {
      school = try JSONDecoder().decode(SchoolSettings.self, from: Data(bytes))
    } catch {
      let problem = JSONProblem(error)
      throw invalidSchool(path, problem.english, field: problem.field)
    }
    if !SchoolSettings.schoolTypes.contains(school.schoolType) {
      throw invalidSchool(
        path,
        "schoolType \"\(school.schoolType)\" is not one of \(SchoolSettings.schoolTypes.sorted().joined(separator: ", "))",
        field: "schoolType")
    }
    if !FieldRules.isSchoolCode(school.schoolCode) {
      throw invalidSchool(
        path, "schoolCode \"\(school.schoolCode)\" is not the 6 characters (0-9, A-Z) of a school code",
        field: "schoolCode")
    }
    return school
  }

  /// The school's time zone and windows, parsed once; a name or time that does not parse stops
  /// the run (a window read in the wrong zone or not at all would judge uploads wrongly).
  public static func schoolTimes(_ school: SchoolSettings, path: String) throws(EnvironmentError) -> (
    TimeZone, [UploadWindowDates]
  ) {
    var zone = SchoolSettings.defaultTimeZone
    if let name = school.timeZone {
      guard let named = TimeZone(identifier: name) else {
        throw invalidSchool(path, "timeZone \"\(name)\" is not a known time zone (Asia/Taipei)", field: "timeZone")
      }
      zone = named
    }
    var windows: [UploadWindowDates] = []
    for (index, window) in (school.windows ?? []).enumerated() {
      let dates = UploadWindowDates(
        window: window, opens: Timestamps.parse(window.opens, timeZone: zone),
        closes: Timestamps.parse(window.closes, timeZone: zone))
      if dates.opens == nil || dates.closes == nil {
        throw invalidSchool(
          path,
          "windows[\(index)]: opens \"\(window.opens)\" / closes \"\(window.closes)\" is not an ISO 8601 time "
            + "(2023-09-01T00:00:00+08:00)", field: "windows[\(index)]")
      }
      windows.append(dates)
    }
    for (index, window) in (school.receiptWindows ?? []).enumerated()
    where Timestamps.parse(window.opens, timeZone: zone) == nil
      || Timestamps.parse(window.closes, timeZone: zone) == nil
    {
      throw invalidSchool(
        path,
        "receiptWindows[\(index)]: opens \"\(window.opens)\" / closes \"\(window.closes)\" is not an ISO 8601 time",
        field: "receiptWindows[\(index)]")
    }
    return (zone, windows)
  }

  static func invalidSchool(_ path: String, _ problem: String, field: String) -> EnvironmentError {
    EnvironmentError(
      .schoolInvalid, path: path, en: "school.json is not valid: \(problem)",
      zh: "school.json 內容有誤（\(field)）。",
      fix: "Correct \(field) in school.json (docs/drop-contract.md shows the format) and run again.",
      fixZH: "請修正 school.json 的 \(field)（格式見 docs/drop-contract.md）後再執行。")
  }

  // MARK: uploads/

  static func checkUploads(_ drop: String) throws(EnvironmentError) {
    let path = drop + "/uploads"
    let fix =
      "Create the folder uploads/ in the drop directory (empty if nobody has uploaded yet), readable by the user that runs portfolio."
    let fixZH = "請在交換資料夾建立 uploads/ 資料夾（還沒有人上傳時可以是空的），並讓執行 portfolio 的帳號可以讀取。"
    switch FileSystem.entry(at: path) {
    case .failure(let error):
      throw EnvironmentError(
        .uploadsUnusable, path: path,
        en: error.isMissing ? "the folder uploads/ is missing" : "uploads/: \(error.message)",
        zh: error.isMissing ? "交換資料夾裡沒有 uploads/ 資料夾。" : "uploads/ 無法讀取。", fix: fix, fixZH: fixZH)
    case .success(let entry) where entry.kind != .directory:
      throw EnvironmentError(
        .uploadsUnusable, path: path, en: "uploads is a \(entry.kind.rawValue), not a folder",
        zh: "uploads 是\(entry.kind.chinese)，不是資料夾。", fix: fix, fixZH: fixZH)
    case .success: break
    }
    if case .failure(let error) = FileSystem.names(in: path) {
      throw EnvironmentError(
        .uploadsUnusable, path: path, en: "uploads/ cannot be listed: \(error.message)", zh: "uploads/ 無法讀取。",
        fix: fix, fixZH: fixZH)
    }
  }

  /// A metadata file that exists but cannot be read as a file of at most its cap.
  static func unreadable(
    _ path: String, _ failure: FileSystem.ReadFailure, what: String, code: EnvironmentError.Code
  ) -> EnvironmentError {
    switch failure {
    case .open(.notRegular(let kind)):
      return EnvironmentError(
        code, path: path, en: "\(what) is a \(kind.rawValue), not a regular file",
        zh: "\(what) 是\(kind.chinese)，不是一般檔案。",
        fix: "Put the file itself into the drop directory (symbolic links are not followed).",
        fixZH: "請把檔案本身放進交換資料夾（不會跟隨捷徑）。")
    case .open(.system(let error)):
      return EnvironmentError(
        code, path: path, en: "\(what) cannot be read: \(error.message)", zh: "\(what) 無法讀取。",
        fix: "Let the user that runs portfolio read it (chmod o+r or the service's group).",
        fixZH: "請讓執行 portfolio 的帳號可以讀取這個檔案。")
    case .tooLarge(let size):
      return EnvironmentError(
        code, path: path, en: "\(what) has \(size) bytes, more than any school's \(what) needs",
        zh: "\(what) 檔案過大（\(size) 位元組）。", fix: "Check that the right file was put there.",
        fixZH: "請確認放進來的是正確的檔案。")
    }
  }
}
