/// How bad a finding is: an `error` rejects the file or item, a `warning` does not.
public enum Severity: String, Codable, Sendable, Comparable {
  case warning
  case error

  public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs == .warning && rhs == .error }
}

/// One problem the pipeline found, with a stable code and messages for students and staff.
public struct Finding: Codable, Sendable, Equatable {
  /// The stable finding codes of the drop contract (more may be added; none is ever renamed).
  public enum Code: String, Codable, Sendable, CaseIterable {
    case formatNotAllowed = "format-not-allowed"
    case extensionMismatch = "extension-mismatch"
    case tooLarge = "too-large"
    case emptyFile = "empty-file"
    case corruptFile = "corrupt-file"
    case polyglot
    case embeddedContent = "embedded-content"
    case encryptedDocument = "encrypted-document"
    case linkInCourseOutcome = "link-in-course-outcome"
    case missingFile = "missing-file"
    case notARegularFile = "not-a-regular-file"
    case unreadable
    case summaryTooLong = "summary-too-long"
    case invalidText = "invalid-text"
    case badMetadata = "bad-metadata"
    case notCertified = "not-certified"
    case modifiedAfterCertification = "modified-after-certification"
    case selectionOverLimit = "selection-over-limit"
    case capExceeded = "cap-exceeded"
    case outsideWindow = "outside-window"
    case beforeEnrollment = "before-enrollment"
    case outsideEnrollment = "outside-enrollment"
    case unknownCourse = "unknown-course"
    case certifierNotTeacher = "certifier-not-teacher"
    case invalidIdNumber = "invalid-id-number"
    case unknownStudent = "unknown-student"
    case rareCharacter = "rare-character"
    case duplicateFile = "duplicate-file"
    case unlistedFile = "unlisted-file"
    case trailingData = "trailing-data"
    case restrictedDocument = "restricted-document"
    case drmProtected = "drm-protected"
    // Package-level codes (central field specification §3), raised by `check` and `import`.
    case schemaInvalid = "schema-invalid"
    case xmlForbidden = "xml-forbidden"
    case unsupportedVersion = "unsupported-version"
    case unsafeEntry = "unsafe-entry"
    case duplicateEntry = "duplicate-entry"
    case missingEntry = "missing-entry"
    case unlistedEntry = "unlisted-entry"
    case hashMismatch = "hash-mismatch"
    case sizeMismatch = "size-mismatch"
    case archiveBomb = "archive-bomb"
    case corruptArchive = "corrupt-archive"
    case wrongKind = "wrong-kind"
    case duplicateId = "duplicate-id"
    /// `import`: the package's student number exists here with a different ID number.
    case studentMismatch = "student-mismatch"
    /// `import`: an item folder of the same id already holds different content.
    case importConflict = "import-conflict"
    /// Ledger: a file identical to content a teacher already certified (a re-upload after a
    /// loss, as in 2021): staff can restore the certification instead of asking the teacher.
    case identicalToCertified = "identical-to-certified"
    /// `package`: this student's package could not be made this run (schema, a source that
    /// changed while packaging); every other student's package is written.
    case packageNotBuilt = "package-not-built"
    /// The isolated worker inspecting a file hit its memory or time limit, or crashed: the file
    /// cannot be vouched for.
    case inspectionFailed = "inspection-failed"

    /// The contract's severity for the code.
    public var defaultSeverity: Severity {
      switch self {
      case .extensionMismatch, .rareCharacter, .duplicateFile, .unlistedFile, .identicalToCertified, .trailingData,
        .restrictedDocument:
        .warning
      default: .error
      }
    }
  }

  public var code: Code
  public var severity: Severity
  public var studentNumber: String?
  public var itemId: String?
  /// The path relative to the drop directory (invalid UTF-8 bytes shown as `\xFF`).
  public var file: String?
  /// The messages, evidence and details, in one allocation.
  private var texts: FindingTexts
  /// For the student, in Traditional Chinese: what is wrong and what to do.
  public var messageZH: String {
    get { texts.messageZH }
    set { texts.fields.messageZH = newValue }
  }
  /// For staff, in English.
  public var messageEN: String {
    get { texts.messageEN }
    set { texts.fields.messageEN = newValue }
  }
  /// What the finding rests on (also written into `details`).
  public var evidence: Evidence {
    get { texts.fields.evidence }
    set { texts.fields.evidence = newValue }
  }
  /// Figures and names beyond the evidence (sizes, limits, fields), as strings for stable output.
  public var details: [String: String] {
    get { texts.fields.details }
    set { texts.fields.details = newValue }
  }
  /// Moves the finding's words (messages, evidence, details) out of memory into `spool`.
  public mutating func spool(into spool: TextSpool) { texts.spool(into: spool) }

  /// Whether the finding's words are in a spool (tests).
  var isSpooled: Bool { texts.isSpooled }

  /// What the finding keeps from being packaged, set by the rule that makes it (never read from
  /// `details`: renaming a detail must not change who gets a package).
  public var blocks: PackageBlock?

  /// Why a finding keeps a student's package from being written.
  public enum PackageBlock: Sendable, Equatable, Hashable {
    /// The student's identity cannot go to the central database (ID number, ID type, name):
    /// no package of any kind.
    case identity
    /// More items selected than the limit of this academic year: no central package of it.
    case selection(academicYear: Int)
  }

  /// A finding of `rule`: the only way to make one, so that every code is produced by the one
  /// rule file that owns it and its messages.
  init<Rule: FindingRule>(
    _ rule: Rule.Type, _ place: FindingPlace, zh: String, en: String, evidence: Evidence = .none,
    details: [String: String] = [:], severity: Severity? = nil, blocks: PackageBlock? = nil
  ) {
    self.code = Rule.code
    self.severity = severity ?? Rule.code.defaultSeverity
    self.studentNumber = place.studentNumber
    self.itemId = place.itemId
    self.file = place.file
    self.texts = FindingTexts(.init(messageZH: zh, messageEN: en, evidence: evidence, details: details))
    self.blocks = blocks
  }

  /// Absent places are written as `null`, so every finding has the same keys; the evidence is
  /// part of `details`.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(code, forKey: .code)
    try container.encode(severity, forKey: .severity)
    try container.encode(studentNumber, forKey: .studentNumber)
    try container.encode(itemId, forKey: .itemId)
    try container.encode(file, forKey: .file)
    let fields = texts.fields
    try container.encode(fields.messageZH, forKey: .messageZH)
    try container.encode(fields.messageEN, forKey: .messageEN)
    try container.encode(fields.details.merging(fields.evidence.entries) { own, _ in own }, forKey: .details)
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    code = try container.decode(Code.self, forKey: .code)
    severity = try container.decode(Severity.self, forKey: .severity)
    studentNumber = try container.decodeIfPresent(String.self, forKey: .studentNumber)
    itemId = try container.decodeIfPresent(String.self, forKey: .itemId)
    file = try container.decodeIfPresent(String.self, forKey: .file)
    let messageZH = try container.decode(String.self, forKey: .messageZH)
    let messageEN = try container.decode(String.self, forKey: .messageEN)
    let all = try container.decodeIfPresent([String: String].self, forKey: .details) ?? [:]
    let details = all.filter { !Evidence.keys.contains($0.key) }
    texts = FindingTexts(
      .init(messageZH: messageZH, messageEN: messageEN, evidence: Evidence(entries: all), details: details))
    blocks = Self.block(code, details: details)
  }

  /// A finding read back from a report (a shard's result) gets its block from what the rule
  /// wrote: the one place that reads it from `details`.
  static func block(_ code: Code, details: [String: String]) -> PackageBlock? {
    switch code {
    case .invalidIdNumber: .identity
    case .badMetadata: ["idType", "name"].contains(details["field"]) ? .identity : nil
    case .selectionOverLimit: details["academicYear"].flatMap(Int.init).map { .selection(academicYear: $0) }
    default: nil
    }
  }

  enum CodingKeys: String, CodingKey {
    case code, severity, studentNumber, itemId, file
    case messageZH = "message_zh"
    case messageEN = "message_en"
    case details
  }
}

extension Finding {
  /// A stable order for reports: by student, item, file, then code.
  public static func reportOrder(_ a: Finding, _ b: Finding) -> Bool {
    let left = (a.studentNumber ?? "", a.itemId ?? "", a.file ?? "", a.code.rawValue)
    let right = (b.studentNumber ?? "", b.itemId ?? "", b.file ?? "", b.code.rawValue)
    return left < right
  }
}
