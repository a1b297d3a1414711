import Foundation
import Synchronization

/// Where the facts the rules judge came from: a drop directory (`validate`) or a package's
/// manifest (`check`, `import`). Rules ask the context, never the source, what applies.
enum RuleSource: Sendable, Equatable {
  case drop
  case package(PackageManifest.Kind, academicYear: Int?)
}

/// What every rule may consult besides the student's own facts.
struct RuleContext: Sendable {
  let table: PolicyTable
  let source: RuleSource
  /// The school's caps and upload windows (drop directories only).
  var school: SchoolSettings?
  /// The school's upload windows, parsed once in the school's time zone.
  var windows: [UploadWindowDates] = []
  /// The school's time zone: bare dates and times without an offset are read in it.
  var timeZone = SchoolSettings.defaultTimeZone
  /// What the ledger remembers of certified content (drop directories only).
  var memory = ValidationMemory()
  /// Policies by policy year, looked up once each.
  private let policies: PolicyCache

  init(table: PolicyTable, source: RuleSource) {
    self.table = table
    self.source = source
    policies = PolicyCache(table: table)
  }

  /// The policy of an item's own academic year and term (term 1 when it has none).
  func policy(for item: RuleItem) -> Policy { policies.policy(for: item.policyYear) }

  /// Whether the item goes to the central database: in a drop, what the student selected; in
  /// a central package, every item (anything else is `wrong-kind`); in a transfer, nothing.
  func submits(_ item: RuleItem) -> Bool {
    switch source {
    case .drop: item.selected
    case .package(.central, _): true
    case .package(.transfer, _): false
    }
  }

  var isDrop: Bool { source == .drop }
}

/// Policies looked up once per policy year (a class so a shared context can fill it).
final class PolicyCache: Sendable {
  let table: PolicyTable
  /// Shared by the workers that judge students at once.
  private let known = Mutex<[PolicyYear: Policy]>([:])

  init(table: PolicyTable) { self.table = table }

  func policy(for year: PolicyYear) -> Policy {
    if let policy = known.withLock({ $0[year] }) { return policy }
    let policy = table.policy(for: year)
    known.withLock { $0[year] = policy }
    return policy
  }
}

/// A student as the rules see them.
struct RuleStudent: Sendable {
  let number: String
  /// The student's record; `nil` for an uploads folder of a student missing from the roster.
  let record: StudentRecord?
  let items: [RuleItem]
  /// Course records by course key.
  let courses: [CourseKey: RuleCourse]
  /// Where findings on the student's record point (students.csv, or the package).
  let place: FindingPlace
  /// Where findings on the student's selection point (the student, or the package).
  let selectionPlace: FindingPlace
}

/// The parts of a student's record the rules judge.
struct StudentRecord: Sendable {
  let idNumber: String
  /// `nil` when students.csv names a type the contract does not know (reported as bad-metadata).
  let idType: IDType?
  let name: String
  let enrollmentYear: Int
  /// The last academic year of enrollment, when the source knows it (a package does not).
  let lastAcademicYear: Int?
}

/// One course record: which course, and who teaches it (unknown in a package).
struct RuleCourse: Sendable {
  let key: CourseKey
  let teacherIds: [String]?
}

/// The join key of a course record: student's academic year, term and course code.
struct CourseKey: Hashable, Sendable {
  let academicYear: Int
  let term: Int
  let code: String
}

/// An item as the rules see it: the one item model (`ItemManifest`, from `item.json` or from a
/// package's manifest), with its inspected files and where findings on it point — a view, not a
/// copy of its fields: a field added to the item reaches every rule as it is.
struct RuleItem: Sendable {
  let manifest: ItemManifest
  /// The inspected files (a file not inspected — missing, not regular, unreadable — has its
  /// own finding already).
  let files: [RuleFile]
  let place: FindingPlace

  var id: String { manifest.itemId }
  var kind: ItemKind { manifest.kind }
  var academicYear: Int { manifest.academicYear }
  var term: Int? { manifest.term }
  var courseCode: String? { manifest.courseCode }
  var title: String? { manifest.title }
  var summary: String? { manifest.summary }
  var startDate: String? { manifest.startDate }
  var endDate: String? { manifest.endDate }
  var uploadedAt: String? { manifest.uploadedAt }
  var category: String? { manifest.category }
  var externalLink: String? { manifest.externalLink }
  var details: ItemManifest.Details? { manifest.details }
  var certification: ItemManifest.Certification? { manifest.certification }
  var selected: Bool { manifest.selected == true }
  /// Imported from another school's transfer package: certified and uploaded there.
  var imported: Bool { manifest.transfer != nil }
  /// The course record carried with an imported outcome.
  var carriedCourse: CourseKey? {
    manifest.transfer?.course.map { CourseKey(academicYear: $0.academicYear, term: $0.term, code: $0.code) }
  }

  var policyYear: PolicyYear { PolicyYear(academicYear: academicYear, term: term ?? 1) }
  /// A Minguo academic year 108–199 and a term 1 or 2 (when it has one): otherwise
  /// `bad-metadata` names the field, and the rules that compare the period with enrollment,
  /// courses or windows are not asked.
  var hasValidPeriod: Bool {
    AcademicYears.valid.contains(academicYear) && (term.map(AcademicYears.terms.contains) ?? true)
  }
  /// How the item is named to the student: 「title」, or "（沒有標題）" — never its id, which
  /// the student never sees. Control characters and line breaks are shown as spaces, so a
  /// notice stays one line.
  var label: String {
    guard let title, !title.isEmpty else { return "（沒有標題）" }
    let shown = String(
      String.UnicodeScalarView(title.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : $0 }))
    return "「\(shown)」"
  }
  var courseKey: CourseKey? {
    guard let term, let courseCode else { return nil }
    return CourseKey(academicYear: academicYear, term: term, code: courseCode)
  }
}

/// One inspected file as the rules see it.
struct RuleFile: Sendable {
  /// The name the student uploaded.
  let name: String
  /// The name whose extension claims a type: the uploaded name, or a package's entry name.
  let claimedName: String
  let role: FileRole
  let inspection: FileInspection
  /// The type a package's manifest declares for the file (packages only).
  let declaredMime: String?
  /// The SHA-256 the teacher certified, from item.json (drop directories only).
  let certifiedSHA256: String?
  let place: FindingPlace

  /// The lower-cased extension of the claimed name ("" when it has none): its last part between
  /// dots, when it has two parts or more.
  var claimedExtension: String {
    var name = claimedName
    if let ascii = name.withUTF8(Self.asciiExtension) { return ascii }
    let parts = claimedName.split(separator: ".")
    guard parts.count > 1, let last = parts.last else { return "" }
    return last.lowercased()
  }

  /// `claimedExtension` of an ASCII name, read on its bytes (every character is one byte there);
  /// `nil` for any other name.
  static func asciiExtension(_ name: UnsafeBufferPointer<UInt8>) -> String? {
    guard name.allSatisfy({ $0 < 0x80 }) else { return nil }
    var end = name.count
    while end > 0, name[end - 1] == 0x2E { end -= 1 }  // empty parts after the last dot
    guard let dot = name[..<end].lastIndex(of: 0x2E), name[..<dot].contains(where: { $0 != 0x2E }) else { return "" }
    return String(decoding: name[(dot + 1)..<end].map { (0x41...0x5A).contains($0) ? $0 | 0x20 : $0 }, as: UTF8.self)
  }
}
