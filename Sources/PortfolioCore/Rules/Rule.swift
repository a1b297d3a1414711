/// A rule of the domain: the one finding code it owns, with that code's message factories
/// beside it (Chinese for the student, English for staff). Every `Finding` is made through a
/// rule type, so each code is produced in exactly one file of `Rules/`.
public protocol FindingRule: Sendable {
  /// The code this rule produces.
  static var code: Finding.Code { get }
}

/// A rule that judges one file of an item, from a drop directory or from a package.
protocol FileRule: FindingRule {
  static func check(_ file: RuleFile, of item: RuleItem, in context: RuleContext) -> [Finding]
}

/// A rule that judges one item of a student.
protocol ItemRule: FindingRule {
  static func check(_ item: RuleItem, of student: RuleStudent, in context: RuleContext) -> [Finding]
  /// Whether the rule compares the item's academic year or term with something (enrollment,
  /// courses, windows): such a rule is not asked when the period itself is malformed.
  static var judgesPeriod: Bool { get }
}

extension ItemRule {
  static var judgesPeriod: Bool { false }
}

/// A rule that judges a student as a whole (their record and all their items together).
protocol StudentRule: FindingRule {
  static func check(_ student: RuleStudent, in context: RuleContext) -> [Finding]
}

/// The rules `validate` and `check` both run, in the order they run.
public enum RuleBook {
  /// File rules that decide whether the content can be judged at all: once one of them
  /// refuses a file, the later file rules are not asked (an empty file is not also "too large").
  /// `too-large` is asked between the two: the size is known from `fstat` whatever the file
  /// holds (a file over every limit is never read beyond its first bytes, so its content may
  /// also be refused, but its size always is).
  static let gateRules: [any FileRule.Type] = [EmptyFile.self, FormatNotAllowed.self]
  /// The other file rules.
  static let fileRules: [any FileRule.Type] = [
    ExtensionMismatch.self, CorruptFile.self, InspectionFailed.self, Polyglot.self, EncryptedDocument.self,
    RestrictedDocument.self, DRMProtected.self,
    LinkInCourseOutcome.self, EmbeddedContent.self, TrailingData.self,
  ]
  /// File rules about certified content: asked of every inspected file, refused or not.
  static let certificationRules: [any FileRule.Type] = [
    ModifiedAfterCertification.self, IdenticalToCertified.self,
  ]
  static let itemRules: [any ItemRule.Type] = [
    InvalidText.self, SummaryTooLong.self, BadMetadata.self, OutsideEnrollment.self, BeforeEnrollment.self,
    UnknownCourse.self, CertifierNotTeacher.self, NotCertified.self, OutsideWindow.self,
  ]
  static let studentRules: [any StudentRule.Type] = [
    DuplicateFile.self, CapExceeded.self, InvalidIdNumber.self, RareCharacter.self, SelectionOverLimit.self,
  ]

  /// Every finding the rules make of one student's facts.
  static func findings(of student: RuleStudent, in context: RuleContext) -> [Finding] {
    var findings: [Finding] = []
    for item in student.items {
      for file in item.files { findings += fileFindings(file, of: item, in: context) }
    }
    for item in student.items {
      for rule in itemRules where item.hasValidPeriod || !rule.judgesPeriod {
        findings += rule.check(item, of: student, in: context)
      }
    }
    for rule in studentRules { findings += rule.check(student, in: context) }
    return findings
  }

  static func fileFindings(_ file: RuleFile, of item: RuleItem, in context: RuleContext) -> [Finding] {
    let certification = certificationRules.flatMap { $0.check(file, of: item, in: context) }
    let empty = EmptyFile.check(file, of: item, in: context)
    if !empty.isEmpty { return empty + certification }
    let size = TooLarge.check(file, of: item, in: context)
    let format = FormatNotAllowed.check(file, of: item, in: context)
    if !format.isEmpty { return size + format + certification }
    return size + fileRules.flatMap { $0.check(file, of: item, in: context) } + certification
  }
}

extension RuleBook {
  /// Every rule type, one per finding code: the checks above, the structural findings of the
  /// scanner and the inspector, and the package-level findings of `check` and `import`.
  public static let allRules: [any FindingRule.Type] =
    gateRules + [TooLarge.self] + fileRules + certificationRules + itemRules + studentRules + [
      NotARegularFile.self, Unreadable.self, MissingFile.self, UnlistedFile.self, UnknownStudent.self,
      SchemaInvalid.self, XMLForbidden.self, UnsupportedVersion.self, UnsafeEntry.self, DuplicateEntry.self,
      MissingEntry.self, UnlistedEntry.self, HashMismatch.self, SizeMismatch.self, ArchiveBomb.self,
      CorruptArchive.self, WrongKind.self, DuplicateId.self, StudentMismatch.self, ImportConflict.self,
      PackageNotBuilt.self,
    ]
}
