/// The three kinds of item in the drop contract.
public enum ItemKind: String, Codable, Sendable, CaseIterable {
  case courseOutcome = "course-outcome"
  case multiplePerformance = "multiple-performance"
  case consultation

  /// The kind in the words of the seeds: 課程學習成果, 多元表現, 課程諮詢紀錄.
  public var zh: String {
    switch self {
    case .courseOutcome: "課程學習成果"
    case .multiplePerformance: "多元表現"
    case .consultation: "課程諮詢紀錄"
    }
  }
}

/// How a file serves its item.
public enum FileRole: String, Codable, Sendable {
  case document
  case media
}

/// `item.json`, as the platform writes it (last, to mark the item complete).
public struct ItemManifest: Codable, Sendable, Equatable {
  public var itemId: String
  public var kind: ItemKind
  public var academicYear: Int
  public var term: Int?
  public var files: [FileEntry]
  public var selected: Bool?
  /// The optional texts, packed (`PackedTexts`): read and written through the properties below.
  private var texts = PackedTexts()
  // A school keeps tens of thousands of items in memory: the parts most items lack are kept
  // out of line, eight bytes when absent (the JSON is the same: see `CodingKeys`).
  private var detailsStorage: OutOfLine<Details>?
  private var certificationStorage: OutOfLine<Certification>?
  private var transferStorage: OutOfLine<Transfer>?

  public var courseCode: String? {
    get { texts[0] }
    set { texts[0] = newValue }
  }
  public var category: String? {
    get { texts[1] }
    set { texts[1] = newValue }
  }
  public var title: String? {
    get { texts[2] }
    set { texts[2] = newValue }
  }
  public var summary: String? {
    get { texts[3] }
    set { texts[3] = newValue }
  }
  public var uploadedAt: String? {
    get { texts[4] }
    set { texts[4] = newValue }
  }
  public var startDate: String? {
    get { texts[5] }
    set { texts[5] = newValue }
  }
  public var endDate: String? {
    get { texts[6] }
    set { texts[6] = newValue }
  }
  public var externalLink: String? {
    get { texts[7] }
    set { texts[7] = newValue }
  }

  public var details: Details? {
    get { detailsStorage?.value }
    set { detailsStorage = newValue.map(OutOfLine.init) }
  }
  public var certification: Certification? {
    get { certificationStorage?.value }
    set { certificationStorage = newValue.map(OutOfLine.init) }
  }
  /// Set on items imported from another school's transfer package.
  public var transfer: Transfer? {
    get { transferStorage?.value }
    set { transferStorage = newValue.map(OutOfLine.init) }
  }

  enum CodingKeys: String, CodingKey {
    case itemId, kind, academicYear, term, courseCode, category, title, summary, uploadedAt, startDate, endDate
    case externalLink
    case detailsStorage = "details"
    case files
    case certificationStorage = "certification"
    case selected
    case transferStorage = "transfer"
  }

  public init(
    itemId: String, kind: ItemKind, academicYear: Int, term: Int? = nil, courseCode: String? = nil,
    category: String? = nil, title: String? = nil, summary: String? = nil, uploadedAt: String? = nil,
    startDate: String? = nil, endDate: String? = nil, externalLink: String? = nil, details: Details? = nil,
    files: [FileEntry], certification: Certification? = nil, selected: Bool? = nil, transfer: Transfer? = nil
  ) {
    (self.itemId, self.kind, self.academicYear, self.term) = (itemId, kind, academicYear, term)
    texts = PackedTexts([courseCode, category, title, summary, uploadedAt, startDate, endDate, externalLink])
    (self.files, self.selected) = (files, selected)
    self.details = details
    self.certification = certification
    self.transfer = transfer
  }

  // Decoded and encoded key by key in `CodingKeys` order, as the synthesized conformance did
  // before the texts were packed: the same first error for a bad item.json, the same key order
  // in an item.json `import` writes.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    itemId = try container.decode(String.self, forKey: .itemId)
    kind = try container.decode(ItemKind.self, forKey: .kind)
    academicYear = try container.decode(Int.self, forKey: .academicYear)
    term = try container.decodeIfPresent(Int.self, forKey: .term)
    let textKeys: [CodingKeys] = [
      .courseCode, .category, .title, .summary, .uploadedAt, .startDate, .endDate, .externalLink,
    ]
    texts = PackedTexts(try textKeys.map { try container.decodeIfPresent(String.self, forKey: $0) })
    detailsStorage = try container.decodeIfPresent(OutOfLine<Details>.self, forKey: .detailsStorage)
    files = try container.decode([FileEntry].self, forKey: .files)
    certificationStorage = try container.decodeIfPresent(
      OutOfLine<Certification>.self, forKey: .certificationStorage)
    selected = try container.decodeIfPresent(Bool.self, forKey: .selected)
    transferStorage = try container.decodeIfPresent(OutOfLine<Transfer>.self, forKey: .transferStorage)
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(itemId, forKey: .itemId)
    try container.encode(kind, forKey: .kind)
    try container.encode(academicYear, forKey: .academicYear)
    try container.encodeIfPresent(term, forKey: .term)
    let texts: [(String?, CodingKeys)] = [
      (courseCode, .courseCode), (category, .category), (title, .title), (summary, .summary),
      (uploadedAt, .uploadedAt), (startDate, .startDate), (endDate, .endDate), (externalLink, .externalLink),
    ]
    for (text, key) in texts { try container.encodeIfPresent(text, forKey: key) }
    try container.encodeIfPresent(detailsStorage, forKey: .detailsStorage)
    try container.encode(files, forKey: .files)
    try container.encodeIfPresent(certificationStorage, forKey: .certificationStorage)
    try container.encodeIfPresent(selected, forKey: .selected)
    try container.encodeIfPresent(transferStorage, forKey: .transferStorage)
  }

  /// Where an imported item came from. Its certification and time points were made at the
  /// sending school and are kept as they were (the old teacher cannot certify again).
  public struct Transfer: Codable, Sendable, Equatable {
    public var fromSchool: String
    /// The student's number at the sending school (the receiving school gives a new one).
    public var fromStudentNumber: String?
    public var packageName: String
    public var packageSha256: String
    public var importedAt: String
    /// The course record the outcome belongs to, as the sending school recorded it.
    public var course: CarriedCourse?
  }

  /// A course record carried with an imported course outcome: the manifest's own course record.
  public typealias CarriedCourse = PackageManifest.Course

  /// One uploaded file: the name the student gave it and its role.
  public struct FileEntry: Codable, Sendable, Equatable {
    public var name: String
    public var role: FileRole

    /// Its keys, named so that item.json's byte reader knows every key it must read.
    enum CodingKeys: String, CodingKey { case name, role }
  }

  /// Details of a multiple performance; values may arrive as strings or numbers.
  public struct Details: Codable, Sendable, Equatable {
    public var level: LooseString?
    public var participation: LooseString?
    public var hours: LooseString?
    public var organizer: LooseString?
    public var award: LooseString?

    enum CodingKeys: String, CodingKey { case level, participation, hours, organizer, award }

    /// Every field by its name in item.json and manifest.xml, in the specification's order: the
    /// one list the package's writer and reader follow.
    public var fields: [(name: String, value: LooseString?)] {
      [
        ("level", level), ("participation", participation), ("hours", hours), ("organizer", organizer),
        ("award", award),
      ]
    }

    /// The details whose fields `value(name)` gives (a manifest's attributes).
    init(named value: (String) -> String?) {
      level = value("level").map(LooseString.init)
      participation = value("participation").map(LooseString.init)
      hours = value("hours").map(LooseString.init)
      organizer = value("organizer").map(LooseString.init)
      award = value("award").map(LooseString.init)
    }
  }

  /// A course teacher's certification (認證).
  public struct Certification: Codable, Sendable, Equatable {
    public typealias Status = CertificationStatus
    public var status: Status
    public var teacherId: String?
    public var at: String?
    public var reasonCode: String?
    public var reason: String?
    /// SHA-256 of each file as the teacher saw it, in `files` order.
    public var sha256: [String]?

    enum CodingKeys: String, CodingKey { case status, teacherId, at, reasonCode, reason, sha256 }
  }

  /// The fields each kind needs beyond the common ones, by name (for `bad-metadata`).
  public var missingRequiredFields: [String] {
    var missing: [String] = []
    switch kind {
    case .courseOutcome:
      if term == nil { missing.append("term") }
      if courseCode == nil { missing.append("courseCode") }
      if certification == nil { missing.append("certification") }
    case .multiplePerformance:
      if category == nil { missing.append("category") }
      if startDate == nil { missing.append("startDate") }
    case .consultation:
      if term == nil { missing.append("term") }
    }
    return missing
  }
}

/// A JSON value that may be written as a string or a number; kept as its text.
public struct LooseString: Codable, Sendable, Equatable, CustomStringConvertible {
  public var text: String
  public init(_ text: String) { self.text = text }
  public var description: String { text }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    if let string = try? container.decode(String.self) {
      text = string
    } else if let integer = try? container.decode(Int.self) {
      text = String(integer)
    } else {
      text = String(try container.decode(Double.self))
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(text)
  }
}

/// A value kept in its own allocation, shared by copies: what holds it pays eight bytes,
/// whatever the value's size. Encoded and decoded as the value itself.
public struct OutOfLine<Value: Codable & Sendable & Equatable>: Codable, Sendable, Equatable {
  private final class Box: Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
  }
  private let box: Box

  public init(_ value: Value) { box = Box(value) }
  public var value: Value { box.value }

  public init(from decoder: any Decoder) throws { box = Box(try Value(from: decoder)) }
  public func encode(to encoder: any Encoder) throws { try box.value.encode(to: encoder) }
  public static func == (left: Self, right: Self) -> Bool { left.box === right.box || left.value == right.value }
}
