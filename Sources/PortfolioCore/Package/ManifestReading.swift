import XMLKit

extension ManifestXML {
  /// Reads a manifest that already passed the XSD (so every required value is present): its
  /// items become the one item model, as the packager wrote them.
  public static func read(_ root: XMLElementNode) -> PackageManifest? {
    guard let header = root.child("header"), let studentNode = root.child("student") else { return nil }
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
        score: node.text(of: "score") ?? "", passed: flag(node.text(of: "passed")))
    }
    let consultations = root.child("consultationRecords")
    let items =
      (root.child("courseOutcomes")?.children("outcome") ?? []).map(outcome)
      + (root.child("multiplePerformances")?.children("performance") ?? []).map(performance)
      + (consultations?.children("consultation") ?? []).map(consultation)
    return PackageManifest(
      specVersion: root.attributes["specVersion"] ?? "",
      kind: PackageManifest.Kind(rawValue: root.attributes["kind"] ?? "") ?? .central,
      schoolCode: header.text(of: "schoolCode") ?? "", schoolType: header.text(of: "schoolType") ?? "",
      academicYear: int(header.text(of: "academicYear")), generatedAt: header.text(of: "generatedAt") ?? "",
      generator: header.text(of: "generator") ?? "", policy: header.text(of: "policy") ?? "", student: student,
      courses: courses, items: items, hasConsultationRecords: consultations != nil)
  }

  private static func int(_ text: String?) -> Int? { text.flatMap { Int($0) } }
  private static func flag(_ text: String?) -> Bool { ["true", "1"].contains(text ?? "") }

  private static func file(_ node: XMLElementNode) -> PackageManifest.File {
    PackageManifest.File(
      role: FileRole(rawValue: node.attributes["role"] ?? "") ?? .document, path: node.attributes["path"] ?? "",
      mime: node.attributes["mime"] ?? "", bytes: Int64(node.attributes["bytes"] ?? "") ?? -1,
      sha256: node.attributes["sha256"] ?? "", originalName: node.attributes["originalName"] ?? "",
      pages: int(node.attributes["pages"]), width: int(node.attributes["width"]),
      height: int(node.attributes["height"]),
      durationSeconds: node.attributes["durationSeconds"].flatMap(Double.init))
  }

  private static func outcome(_ node: XMLElementNode) -> PackagedItem {
    let certification = node.child("certification")
    let item = ItemManifest(
      itemId: node.attributes["id"] ?? "", kind: .courseOutcome,
      academicYear: int(node.attributes["academicYear"]) ?? 0,
      term: int(node.attributes["term"]) ?? 0, courseCode: node.attributes["courseCode"] ?? "",
      title: node.text(of: "title") ?? "", summary: node.text(of: "summary") ?? "",
      uploadedAt: node.text(of: "uploadedAt") ?? "", files: [],
      certification: ItemManifest.Certification(
        status: certification?.attributes["status"].flatMap(CertificationStatus.init(rawValue:)) ?? .pending,
        teacherId: certification?.attributes["teacherId"], at: certification?.attributes["at"],
        reasonCode: certification?.attributes["reasonCode"], reason: certification?.text(of: "reason")),
      selected: flag(node.text(of: "selected")))
    return PackagedItem(item, files: node.children("file").map(file))
  }

  private static func performance(_ node: XMLElementNode) -> PackagedItem {
    let item = ItemManifest(
      itemId: node.attributes["id"] ?? "", kind: .multiplePerformance,
      academicYear: int(node.attributes["academicYear"]) ?? 0, term: int(node.attributes["term"]),
      category: node.attributes["category"] ?? "", title: node.text(of: "title") ?? "",
      summary: node.text(of: "summary") ?? "", uploadedAt: node.text(of: "uploadedAt") ?? "",
      startDate: node.text(of: "startDate") ?? "", endDate: node.text(of: "endDate"),
      externalLink: node.text(of: "externalLink"),
      details: node.child("details").map { details in ItemManifest.Details(named: { details.attributes[$0] }) },
      files: [], selected: flag(node.text(of: "selected")))
    return PackagedItem(item, files: node.children("file").map(file))
  }

  private static func consultation(_ node: XMLElementNode) -> PackagedItem {
    let item = ItemManifest(
      itemId: node.attributes["id"] ?? "", kind: .consultation, academicYear: int(node.attributes["academicYear"]) ?? 0,
      term: int(node.attributes["term"]) ?? 0, summary: node.text(of: "summary") ?? "",
      uploadedAt: node.text(of: "uploadedAt") ?? "", files: [])
    return PackagedItem(item, files: node.children("file").map(file))
  }
}
