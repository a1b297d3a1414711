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
      items: manifest.items.map { packaged in
        RuleItem(
          manifest: packaged.item, files: files(packaged.files, item: packaged.item.itemId),
          place: place(packaged.item.itemId))
      },
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
}
