import XMLKit

/// The content of `manifest.xml` (central field specification v1, §2) as Swift values, shared
/// by the writer (`package`) and the reader (`check`, `import`).
public struct PackageManifest: Sendable, Equatable {
  public enum Kind: String, Sendable { case central, transfer }

  public var specVersion = "1.0"
  public var kind: Kind
  public var schoolCode: String
  public var schoolType: String
  public var academicYear: Int?
  public var generatedAt: String
  public var generator: String
  public var policy: String
  public var student: StudentData
  public var courses: [Course]
  /// The items, in document order: course outcomes, then multiple performances, then
  /// consultation records.
  public var items: [PackagedItem]
  /// Whether the manifest has a `consultationRecords` element (transfer packages always do; a
  /// central package must not).
  public var hasConsultationRecords: Bool

  public struct StudentData: Sendable, Equatable {
    public var studentNumber: String
    public var idNumber: String
    public var idType: IDType
    public var name: String
    public var birthDate: String
    public var enrollmentYear: Int
    public var cadres: [Cadre]
  }

  public struct Cadre: Sendable, Equatable {
    public var academicYear: Int
    public var term: Int
    public var level: String
    public var unit: String
    public var title: String
    public var startDate: String?
    public var endDate: String?
  }

  public struct Course: Codable, Sendable, Equatable {
    public var academicYear: Int
    public var term: Int
    public var code: String
    public var name: String
    public var credits: String
    public var score: String
    public var passed: Bool
  }

  public struct File: Sendable, Equatable {
    public var role: FileRole
    public var path: String
    public var mime: String
    public var bytes: Int64
    public var sha256: String
    public var originalName: String
    public var pages: Int?
    public var width: Int?
    public var height: Int?
    public var durationSeconds: Double?
  }

  /// The course outcomes (`courseOutcomes`).
  public var outcomes: [PackagedItem] { items.filter { $0.item.kind == .courseOutcome } }
  /// The multiple performances (`multiplePerformances`).
  public var performances: [PackagedItem] { items.filter { $0.item.kind == .multiplePerformance } }
  /// The consultation records; `nil` when the manifest has no `consultationRecords` element.
  public var consultations: [PackagedItem]? {
    hasConsultationRecords ? items.filter { $0.item.kind == .consultation } : nil
  }

  /// Every file with the item it belongs to.
  public var allFiles: [(itemId: String, kind: ItemKind, academicYear: Int, term: Int?, file: File)] {
    items.flatMap { packaged in
      packaged.files.map {
        (packaged.item.itemId, packaged.item.kind, packaged.item.academicYear, packaged.item.term, $0)
      }
    }
  }

  /// Every item id, in document order.
  public var itemIds: [String] { items.map(\.item.itemId) }
}

/// An item in a package: the one item model (`ItemManifest`) as submitted — what the packager
/// normalised (term, category, ISO dates, NFC file names), without the drop's own facts (the
/// certified hashes, where an imported item came from) — with its files as packaged. The
/// item's `files` are the packaged files' original names and roles, by construction.
public struct PackagedItem: Sendable, Equatable {
  public private(set) var item: ItemManifest
  public let files: [PackageManifest.File]

  public init(_ item: ItemManifest, files: [PackageManifest.File]) {
    var item = item
    item.files = files.map { ItemManifest.FileEntry(name: $0.originalName, role: $0.role) }
    self.item = item
    self.files = files
  }
}

/// Writes and reads `manifest.xml`.
public enum ManifestXML {
  public static let namespace = "urn:learning-portfolio:central:1"

  /// Streams the manifest with libxml2's writer (never by string concatenation).
  public static func write(_ manifest: PackageManifest) throws(XMLError) -> [UInt8] {
    let w = try XMLStreamWriter()
    try w.startElement("portfolioPackage")
    try w.attribute("xmlns", namespace)
    try w.attribute("specVersion", manifest.specVersion)
    try w.attribute("kind", manifest.kind.rawValue)

    try writeHeader(manifest, w)
    try writeStudent(manifest, w)
    try writeCourses(manifest, w)
    try writeOutcomes(manifest, w)
    try writePerformances(manifest, w)
    try writeConsultations(manifest, w)
    try w.endElement()
    return try w.finish()
  }

  private static func writeHeader(_ manifest: PackageManifest, _ w: XMLStreamWriter) throws(XMLError) {
    try w.startElement("header")
    try w.element("schoolCode", manifest.schoolCode)
    try w.element("schoolType", manifest.schoolType)
    if let year = manifest.academicYear { try w.element("academicYear", String(year)) }
    try w.element("generatedAt", manifest.generatedAt)
    try w.element("generator", manifest.generator)
    try w.element("policy", manifest.policy)
    try w.endElement()
  }

  private static func writeStudent(_ manifest: PackageManifest, _ w: XMLStreamWriter) throws(XMLError) {
    let student = manifest.student
    try w.startElement("student")
    try w.element("studentNumber", student.studentNumber)
    try w.startElement("idNumber")
    try w.attribute("type", student.idType.rawValue)
    try w.text(student.idNumber)
    try w.endElement()
    try w.element("name", student.name)
    try w.element("birthDate", student.birthDate)
    try w.element("enrollmentYear", String(student.enrollmentYear))
    try w.startElement("cadreRecords")
    for cadre in student.cadres {
      try w.startElement("cadre")
      try w.attribute("academicYear", String(cadre.academicYear))
      try w.attribute("term", String(cadre.term))
      try w.attribute("level", cadre.level)
      try w.element("unit", cadre.unit)
      try w.element("title", cadre.title)
      if let start = cadre.startDate { try w.element("startDate", start) }
      if let end = cadre.endDate { try w.element("endDate", end) }
      try w.endElement()
    }
    try w.endElement()
    try w.endElement()
  }

  private static func writeCourses(_ manifest: PackageManifest, _ w: XMLStreamWriter) throws(XMLError) {
    try w.startElement("courseRecords")
    for course in manifest.courses {
      try w.startElement("course")
      try w.attribute("academicYear", String(course.academicYear))
      try w.attribute("term", String(course.term))
      try w.attribute("code", course.code)
      try w.element("name", course.name)
      try w.element("credits", course.credits)
      try w.element("score", course.score)
      try w.element("passed", course.passed ? "true" : "false")
      try w.endElement()
    }
    try w.endElement()
  }

  private static func writeOutcomes(_ manifest: PackageManifest, _ w: XMLStreamWriter) throws(XMLError) {
    try w.startElement("courseOutcomes")
    for packaged in manifest.outcomes {
      let outcome = packaged.item
      try w.startElement("outcome")
      try w.attribute("id", outcome.itemId)
      try w.attribute("academicYear", String(outcome.academicYear))
      try w.attribute("term", String(outcome.term ?? 1))
      try w.attribute("courseCode", outcome.courseCode ?? "")
      try w.element("title", outcome.title ?? "")
      try w.element("summary", outcome.summary ?? "")
      try w.element("uploadedAt", outcome.uploadedAt ?? "")
      let certification = outcome.certification
      try w.startElement("certification")
      try w.attribute("status", (certification?.status ?? .pending).rawValue)
      if let teacher = certification?.teacherId { try w.attribute("teacherId", teacher) }
      if let at = certification?.at { try w.attribute("at", at) }
      if let code = certification?.reasonCode { try w.attribute("reasonCode", code) }
      if let reason = certification?.reason { try w.element("reason", reason) }
      try w.endElement()
      try w.element("selected", outcome.selected == true ? "true" : "false")
      for file in packaged.files { try writeFile(file, w) }
      try w.endElement()
    }
    try w.endElement()
  }

  private static func writePerformances(_ manifest: PackageManifest, _ w: XMLStreamWriter) throws(XMLError) {
    try w.startElement("multiplePerformances")
    for packaged in manifest.performances {
      let item = packaged.item
      try w.startElement("performance")
      try w.attribute("id", item.itemId)
      try w.attribute("academicYear", String(item.academicYear))
      try w.attribute("category", item.category ?? "other")
      if let term = item.term { try w.attribute("term", String(term)) }
      try w.element("title", item.title ?? "")
      try w.element("summary", item.summary ?? "")
      try w.element("startDate", item.startDate ?? "")
      if let end = item.endDate { try w.element("endDate", end) }
      try w.element("uploadedAt", item.uploadedAt ?? "")
      let pairs = item.details?.fields.compactMap { name, value in value.map { (name, $0.text) } } ?? []
      if !pairs.isEmpty {
        try w.startElement("details")
        for (name, value) in pairs { try w.attribute(name, value) }
        try w.endElement()
      }
      if let link = item.externalLink { try w.element("externalLink", link) }
      try w.element("selected", item.selected == true ? "true" : "false")
      for file in packaged.files { try writeFile(file, w) }
      try w.endElement()
    }
    try w.endElement()
  }

  private static func writeConsultations(_ manifest: PackageManifest, _ w: XMLStreamWriter) throws(XMLError) {
    if let consultations = manifest.consultations {
      try w.startElement("consultationRecords")
      for packaged in consultations {
        let item = packaged.item
        try w.startElement("consultation")
        try w.attribute("id", item.itemId)
        try w.attribute("academicYear", String(item.academicYear))
        try w.attribute("term", String(item.term ?? 1))
        try w.element("summary", item.summary ?? "")
        try w.element("uploadedAt", item.uploadedAt ?? "")
        for file in packaged.files { try writeFile(file, w) }
        try w.endElement()
      }
      try w.endElement()
    }
  }

  private static func writeFile(_ file: PackageManifest.File, _ w: XMLStreamWriter) throws(XMLError) {
    try w.startElement("file")
    try w.attribute("role", file.role.rawValue)
    try w.attribute("path", file.path)
    try w.attribute("mime", file.mime)
    try w.attribute("bytes", String(file.bytes))
    try w.attribute("sha256", file.sha256)
    try w.attribute("originalName", file.originalName)
    if let pages = file.pages, pages > 0 { try w.attribute("pages", String(pages)) }
    if let width = file.width, width > 0 { try w.attribute("width", String(width)) }
    if let height = file.height, height > 0 { try w.attribute("height", String(height)) }
    if let duration = file.durationSeconds.flatMap(decimal) { try w.attribute("durationSeconds", duration) }
    try w.endElement()
  }

  /// A decimal with at most three places and no exponent (xs:decimal); `nil` for a value that
  /// is not finite or too large for thousandths in 64 bits (never a trap on a number that came
  /// from a file).
  static func decimal(_ value: Double) -> String? {
    guard value.isFinite, abs(value) < 9e15 else { return nil }
    let thousandths = Int64((value * 1000).rounded())
    let whole = thousandths / 1000
    let fraction = abs(thousandths % 1000)
    if fraction == 0 { return String(whole) }
    var digits = String(fraction)
    digits = String(repeating: "0", count: 3 - digits.count) + digits
    while digits.hasSuffix("0") { digits.removeLast() }
    return "\(whole).\(digits)"
  }
}
