/// A fault on the school's side of a run — a table saved in the wrong encoding, school.json
/// missing, a path that is not what it must be — that no per-file finding can express. The
/// command stops with exit 64 before it touches any output, and says what is wrong, where, and
/// what to do, in English (for staff) and Traditional Chinese.
public struct EnvironmentError: Error, CustomStringConvertible, Sendable, Equatable {
  /// Stable codes (docs/environment-errors.md lists each with what it means and what to do).
  public enum Code: String, Sendable, CaseIterable {
    case dropNotFound = "drop-not-found"
    case dropNotAFolder = "drop-not-a-folder"
    case schoolMissing = "school-json-missing"
    case schoolInvalid = "school-json-invalid"
    case tableMissing = "table-missing"
    case tableUnreadable = "table-unreadable"
    case tableEncoding = "table-encoding"
    case tableMalformed = "table-malformed"
    case noStudents = "no-students"
    case uploadsUnusable = "uploads-unusable"
    case pathNotFound = "path-not-found"
    case notAFolder = "not-a-folder"
    case notAFile = "not-a-file"
    case notAZip = "not-a-zip"
    case outputInsideDrop = "output-inside-drop"
    case outputNotWritable = "output-not-writable"
    case receiptNoRosters = "receipt-no-rosters"
    case receiptPassword = "receipt-password"
    case receiptUntrusted = "receipt-untrusted"
    case receiptOtherRun = "receipt-other-school"
    case receiptNoJSON = "receipt-no-json"
  }

  public let code: Code
  /// The file or folder it is about, as the user named it.
  public let path: String
  /// The line of a text file where the problem is (1 = the first line).
  public let line: Int?
  public let english: String
  public let chinese: String
  /// What to do, in English and Chinese.
  public let fix: String
  public let fixZH: String

  public init(
    _ code: Code, path: String, line: Int? = nil, en english: String, zh chinese: String, fix: String,
    fixZH: String
  ) {
    self.code = code
    self.path = path
    self.line = line
    self.english = english
    self.chinese = chinese
    self.fix = fix
    self.fixZH = fixZH
  }

  /// Where: `path` or `path line N`.
  public var place: String { line.map { "\(path) line \($0)" } ?? path }

  /// First line in English (what, where, what to do, the code); second line in Chinese.
  public var description: String {
    "\(place): \(english). \(fix) [\(code.rawValue)]\n  \(chinese)\(fixZH)"
  }
}
