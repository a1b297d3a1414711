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
  public var outcomes: [Outcome]
  public var performances: [Performance]
  /// `nil`: no `consultationRecords` element (central); transfer packages always have one.
  public var consultations: [Consultation]?

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

  public struct Certification: Sendable, Equatable {
    public var status: CertificationStatus
    public var teacherId: String?
    public var at: String?
    public var reasonCode: String?
    public var reason: String?
  }

  public struct Outcome: Sendable, Equatable {
    public var id: String
    public var academicYear: Int
    public var term: Int
    public var courseCode: String
    public var title: String
    public var summary: String
    public var uploadedAt: String
    public var certification: Certification
    public var selected: Bool
    public var files: [File]
  }

  public struct Details: Sendable, Equatable {
    public var level: String?
    public var participation: String?
    public var hours: String?
    public var organizer: String?
    public var award: String?
    var isEmpty: Bool { [level, participation, hours, organizer, award].allSatisfy { $0 == nil } }
  }

  public struct Performance: Sendable, Equatable {
    public var id: String
    public var academicYear: Int
    public var category: String
    public var term: Int?
    public var title: String
    public var summary: String
    public var startDate: String
    public var endDate: String?
    public var uploadedAt: String
    public var details: Details?
    public var externalLink: String?
    public var selected: Bool
    public var files: [File]
  }

  public struct Consultation: Sendable, Equatable {
    public var id: String
    public var academicYear: Int
    public var term: Int
    public var summary: String
    public var uploadedAt: String
    public var files: [File]
  }

  /// Every file with the item it belongs to.
  public var allFiles: [(itemId: String, kind: ItemKind, academicYear: Int, term: Int?, file: File)] {
    outcomes.flatMap { item in
      item.files.map { (item.id, ItemKind.courseOutcome, item.academicYear, Optional(item.term), $0) }
    }
      + performances.flatMap { item in
        item.files.map { (item.id, .multiplePerformance, item.academicYear, item.term, $0) }
      }
      + (consultations ?? []).flatMap { item in
        item.files.map { (item.id, .consultation, item.academicYear, Optional(item.term), $0) }
      }
  }

  /// Every item id, in document order.
  public var itemIds: [String] {
    outcomes.map(\.id) + performances.map(\.id) + (consultations ?? []).map(\.id)
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
    for outcome in manifest.outcomes {
      try w.startElement("outcome")
      try w.attribute("id", outcome.id)
      try w.attribute("academicYear", String(outcome.academicYear))
      try w.attribute("term", String(outcome.term))
      try w.attribute("courseCode", outcome.courseCode)
      try w.element("title", outcome.title)
      try w.element("summary", outcome.summary)
      try w.element("uploadedAt", outcome.uploadedAt)
      try w.startElement("certification")
      try w.attribute("status", outcome.certification.status.rawValue)
      if let teacher = outcome.certification.teacherId { try w.attribute("teacherId", teacher) }
      if let at = outcome.certification.at { try w.attribute("at", at) }
      if let code = outcome.certification.reasonCode { try w.attribute("reasonCode", code) }
      if let reason = outcome.certification.reason { try w.element("reason", reason) }
      try w.endElement()
      try w.element("selected", outcome.selected ? "true" : "false")
      for file in outcome.files { try writeFile(file, w) }
      try w.endElement()
    }
    try w.endElement()
  }

  private static func writePerformances(_ manifest: PackageManifest, _ w: XMLStreamWriter) throws(XMLError) {
    try w.startElement("multiplePerformances")
    for item in manifest.performances {
      try w.startElement("performance")
      try w.attribute("id", item.id)
      try w.attribute("academicYear", String(item.academicYear))
      try w.attribute("category", item.category)
      if let term = item.term { try w.attribute("term", String(term)) }
      try w.element("title", item.title)
      try w.element("summary", item.summary)
      try w.element("startDate", item.startDate)
      if let end = item.endDate { try w.element("endDate", end) }
      try w.element("uploadedAt", item.uploadedAt)
      if let details = item.details, !details.isEmpty {
        try w.startElement("details")
        let pairs = [
          ("level", details.level), ("participation", details.participation), ("hours", details.hours),
          ("organizer", details.organizer), ("award", details.award),
        ]
        for (name, value) in pairs { if let value { try w.attribute(name, value) } }
        try w.endElement()
      }
      if let link = item.externalLink { try w.element("externalLink", link) }
      try w.element("selected", item.selected ? "true" : "false")
      for file in item.files { try writeFile(file, w) }
      try w.endElement()
    }
    try w.endElement()
  }

  private static func writeConsultations(_ manifest: PackageManifest, _ w: XMLStreamWriter) throws(XMLError) {
    if let consultations = manifest.consultations {
      try w.startElement("consultationRecords")
      for item in consultations {
        try w.startElement("consultation")
        try w.attribute("id", item.id)
        try w.attribute("academicYear", String(item.academicYear))
        try w.attribute("term", String(item.term))
        try w.element("summary", item.summary)
        try w.element("uploadedAt", item.uploadedAt)
        for file in item.files { try writeFile(file, w) }
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

  /// Reads a manifest that already passed the XSD (so every required value is present).
  public static func read(_ root: XMLElementNode) -> PackageManifest? {
    guard let header = root.child("header"), let studentNode = root.child("student") else { return nil }
    func int(_ text: String?) -> Int? { text.flatMap { Int($0) } }
    func file(_ node: XMLElementNode) -> PackageManifest.File {
      PackageManifest.File(
        role: FileRole(rawValue: node.attributes["role"] ?? "") ?? .document, path: node.attributes["path"] ?? "",
        mime: node.attributes["mime"] ?? "", bytes: Int64(node.attributes["bytes"] ?? "") ?? -1,
        sha256: node.attributes["sha256"] ?? "", originalName: node.attributes["originalName"] ?? "",
        pages: int(node.attributes["pages"]), width: int(node.attributes["width"]),
        height: int(node.attributes["height"]),
        durationSeconds: node.attributes["durationSeconds"].flatMap(Double.init))
    }
    let idNode = studentNode.child("idNumber")
    let student = PackageManifest.StudentData(
      studentNumber: studentNode.text(of: "studentNumber") ?? "", idNumber: idNode?.text ?? "",
      idType: idNode?.attributes["type"].flatMap(IDType.init(rawValue:)) ?? .other,
      name: studentNode.text(of: "name") ?? "",
      birthDate: studentNode.text(of: "birthDate") ?? "",
      enrollmentYear: int(studentNode.text(of: "enrollmentYear")) ?? 0,
      cadres: (studentNode.child("cadreRecords")?.children("cadre") ?? []).map { node in
        PackageManifest.Cadre(
          academicYear: int(node.attributes["academicYear"]) ?? 0, term: int(node.attributes["term"]) ?? 0,
          level: node.attributes["level"] ?? "", unit: node.text(of: "unit") ?? "", title: node.text(of: "title") ?? "",
          startDate: node.text(of: "startDate"), endDate: node.text(of: "endDate"))
      })
    let courses = (root.child("courseRecords")?.children("course") ?? []).map { node in
      PackageManifest.Course(
        academicYear: int(node.attributes["academicYear"]) ?? 0, term: int(node.attributes["term"]) ?? 0,
        code: node.attributes["code"] ?? "", name: node.text(of: "name") ?? "", credits: node.text(of: "credits") ?? "",
        score: node.text(of: "score") ?? "", passed: ["true", "1"].contains(node.text(of: "passed") ?? ""))
    }
    let outcomes = (root.child("courseOutcomes")?.children("outcome") ?? []).map { node in
      let certification = node.child("certification")
      return PackageManifest.Outcome(
        id: node.attributes["id"] ?? "", academicYear: int(node.attributes["academicYear"]) ?? 0,
        term: int(node.attributes["term"]) ?? 0, courseCode: node.attributes["courseCode"] ?? "",
        title: node.text(of: "title") ?? "", summary: node.text(of: "summary") ?? "",
        uploadedAt: node.text(of: "uploadedAt") ?? "",
        certification: PackageManifest.Certification(
          status: certification?.attributes["status"].flatMap(CertificationStatus.init(rawValue:)) ?? .pending,
          teacherId: certification?.attributes["teacherId"],
          at: certification?.attributes["at"], reasonCode: certification?.attributes["reasonCode"],
          reason: certification?.text(of: "reason")),
        selected: ["true", "1"].contains(node.text(of: "selected") ?? ""), files: node.children("file").map(file))
    }
    let performances = (root.child("multiplePerformances")?.children("performance") ?? []).map { node in
      let details = node.child("details").map { d in
        PackageManifest.Details(
          level: d.attributes["level"], participation: d.attributes["participation"], hours: d.attributes["hours"],
          organizer: d.attributes["organizer"], award: d.attributes["award"])
      }
      return PackageManifest.Performance(
        id: node.attributes["id"] ?? "", academicYear: int(node.attributes["academicYear"]) ?? 0,
        category: node.attributes["category"] ?? "", term: int(node.attributes["term"]),
        title: node.text(of: "title") ?? "",
        summary: node.text(of: "summary") ?? "", startDate: node.text(of: "startDate") ?? "",
        endDate: node.text(of: "endDate"),
        uploadedAt: node.text(of: "uploadedAt") ?? "", details: details, externalLink: node.text(of: "externalLink"),
        selected: ["true", "1"].contains(node.text(of: "selected") ?? ""), files: node.children("file").map(file))
    }
    let consultations = root.child("consultationRecords").map { records in
      records.children("consultation").map { node in
        PackageManifest.Consultation(
          id: node.attributes["id"] ?? "", academicYear: int(node.attributes["academicYear"]) ?? 0,
          term: int(node.attributes["term"]) ?? 0, summary: node.text(of: "summary") ?? "",
          uploadedAt: node.text(of: "uploadedAt") ?? "", files: node.children("file").map(file))
      }
    }
    return PackageManifest(
      specVersion: root.attributes["specVersion"] ?? "",
      kind: PackageManifest.Kind(rawValue: root.attributes["kind"] ?? "") ?? .central,
      schoolCode: header.text(of: "schoolCode") ?? "", schoolType: header.text(of: "schoolType") ?? "",
      academicYear: int(header.text(of: "academicYear")), generatedAt: header.text(of: "generatedAt") ?? "",
      generator: header.text(of: "generator") ?? "", policy: header.text(of: "policy") ?? "", student: student,
      courses: courses, outcomes: outcomes, performances: performances, consultations: consultations)
  }
}
