/// Builds the rules' view of a package: its student, with the items of the manifest and the
/// inspections of the files read from the archive — so `check` runs the same rules as
/// `validate`.
struct PackageSubject {
  let name: String
  let table: PolicyTable
  let manifest: PackageManifest
  /// Inspection of each entry read back, by entry path.
  let inspections: [String: FileInspection]

  var context: RuleContext {
    RuleContext(table: table, source: .package(manifest.kind, academicYear: manifest.academicYear))
  }

  func student() -> RuleStudent {
    let data = manifest.student
    let courses = manifest.courses.map { CourseKey(academicYear: $0.academicYear, term: $0.term, code: $0.code) }
    return RuleStudent(
      number: data.studentNumber,
      record: StudentRecord(
        idNumber: data.idNumber, idType: data.idType, name: data.name, enrollmentYear: data.enrollmentYear,
        lastAcademicYear: nil),
      items: outcomes() + performances() + consultations(),
      courses: Dictionary(courses.map { ($0, RuleCourse(key: $0, teacherIds: nil)) }, uniquingKeysWith: { a, _ in a }),
      place: FindingPlace(file: name), selectionPlace: FindingPlace(file: name))
  }

  private func files(_ files: [PackageManifest.File], item: String) -> [RuleFile] {
    files.compactMap { file in
      guard let inspection = inspections[file.path] else { return nil }
      return RuleFile(
        name: file.originalName, claimedName: file.path, role: file.role, inspection: inspection,
        declaredMime: file.mime, certifiedSHA256: nil,
        place: FindingPlace(itemId: item, file: "\(name):\(file.path)", shortName: file.originalName))
    }
  }

  private func place(_ id: String) -> FindingPlace { FindingPlace(itemId: id, file: name, shortName: id) }

  private func outcomes() -> [RuleItem] {
    manifest.outcomes.map { item in
      let certification = item.certification
      return RuleItem(
        id: item.id, kind: .courseOutcome, academicYear: item.academicYear, term: item.term,
        courseCode: item.courseCode,
        title: item.title, summary: item.summary, startDate: nil, endDate: nil, uploadedAt: item.uploadedAt,
        certification: RuleCertification(
          status: certification.status, teacherId: certification.teacherId, at: certification.at,
          reasonCode: certification.reasonCode, reason: certification.reason, sha256: nil),
        selected: item.selected, imported: false, carriedCourse: nil, files: files(item.files, item: item.id),
        fileNames: item.files.map(\.originalName), place: place(item.id))
    }
  }

  private func performances() -> [RuleItem] {
    manifest.performances.map { item in
      RuleItem(
        id: item.id, kind: .multiplePerformance, academicYear: item.academicYear, term: item.term, courseCode: nil,
        title: item.title, summary: item.summary, startDate: item.startDate, endDate: item.endDate,
        uploadedAt: item.uploadedAt, certification: nil, selected: item.selected, imported: false, carriedCourse: nil,
        files: files(item.files, item: item.id), fileNames: item.files.map(\.originalName), place: place(item.id))
    }
  }

  private func consultations() -> [RuleItem] {
    (manifest.consultations ?? []).map { item in
      RuleItem(
        id: item.id, kind: .consultation, academicYear: item.academicYear, term: item.term, courseCode: nil, title: nil,
        summary: item.summary, startDate: nil, endDate: nil, uploadedAt: item.uploadedAt, certification: nil,
        selected: false, imported: false, carriedCourse: nil, files: files(item.files, item: item.id),
        fileNames: item.files.map(\.originalName), place: place(item.id))
    }
  }
}
