import Foundation

/// `school.json`: the school's code, type, upload windows and caps.
public struct SchoolSettings: Codable, Sendable, Equatable {
  public var schoolCode: String
  public var schoolName: String?
  public var schoolType: String
  public var timeZone: String?
  public var caps: Caps?
  public var windows: [UploadWindow]?
  public var policyOverrides: [String]?
  /// When students check the central database's receipt (收訖明細) of one academic year and term
  /// (term 0: the year-level rosters 25 and 26), at least 3 days; shown on the confirmation pages.
  public var receiptWindows: [ReceiptWindow]?

  public struct ReceiptWindow: Codable, Sendable, Equatable {
    public var academicYear: Int
    public var term: Int?
    public var opens: String
    public var closes: String
  }

  /// The school's own upload caps; absent values are not enforced.
  public struct Caps: Codable, Sendable, Equatable {
    public var courseOutcomesPerTerm: Int?
    public var courseOutcomesPerCourse: Int?
  }

  /// When students may upload items of one academic year (and term, for course outcomes).
  public struct UploadWindow: Codable, Sendable, Equatable {
    public var academicYear: Int
    public var term: Int?
    public var kind: ItemKind
    public var opens: String
    public var closes: String
  }

  /// The time zone of every Taiwanese school, when school.json names none.
  public static let defaultTimeZone =
    TimeZone(identifier: "Asia/Taipei") ?? TimeZone(secondsFromGMT: 8 * 3600) ?? .current

  /// The school types of the field specification.
  public static let schoolTypes: Set<String> = [
    "general", "technical", "comprehensive", "experimental-school", "experimental-commissioned",
    "experimental-individual", "experimental-group", "experimental-institution",
  ]
}

/// A row of `students.csv`.
public struct Student: Sendable, Equatable {
  public var studentNumber: String
  /// The ID number as recorded. Never print it unmasked: use `PrivateData.maskIDNumber`.
  public var idNumber: String
  /// `nil` when students.csv names a type the contract does not know (a bad-metadata finding).
  public var idType: IDType?
  public var name: String
  /// ISO date `yyyy-mm-dd` (a 7-digit Minguo date is converted on reading).
  public var birthDate: String
  public var enrollmentYear: Int
  public var className: String?
  public var graduationYear: Int?

  /// The last academic year of the student's enrollment: the year before `graduationYear`
  /// when the school gives it, else the third year (a student staying longer needs it set).
  public var lastAcademicYear: Int { graduationYear.map { max($0 - 1, enrollmentYear) } ?? enrollmentYear + 2 }

  /// Whether `year` is one of the student's academic years.
  public func isEnrolled(in year: Int) -> Bool { (enrollmentYear...lastAcademicYear).contains(year) }
}

/// A row of `courses.csv`.
public struct CourseRecord: Sendable, Equatable {
  public var studentNumber: String
  public var academicYear: Int
  public var term: Int
  public var courseCode: String
  public var courseName: String
  public var credits: String
  public var score: String
  public var passed: Bool
  public var teacherIds: [String]
}

/// A row of `cadres.csv`.
public struct CadreRecord: Sendable, Equatable {
  public var studentNumber: String
  public var academicYear: Int
  public var term: Int
  public var level: String
  public var unit: String
  public var title: String
  public var startDate: String?
  public var endDate: String?
}

/// An upload window of school.json with its times parsed once, in the school's time zone.
/// A window whose times do not parse keeps `nil` dates: it is reported on school.json and
/// never taken as containing an upload.
public struct UploadWindowDates: Sendable, Equatable {
  public var window: SchoolSettings.UploadWindow
  public var opens: Date?
  public var closes: Date?

  /// Whether the window applies to an item of `kind`, `academicYear` and `term`.
  func applies(kind: ItemKind, academicYear: Int, term: Int?) -> Bool {
    window.kind == kind && window.academicYear == academicYear
      && (kind != .courseOutcome || window.term == nil || window.term == term)
  }

  /// `true` inside, `false` outside, `nil` when the window itself could not be read.
  func contains(_ date: Date) -> Bool? {
    guard let opens, let closes else { return nil }
    return opens <= date && date <= closes
  }

  var text: String { "\(window.opens) – \(window.closes)" }
}
