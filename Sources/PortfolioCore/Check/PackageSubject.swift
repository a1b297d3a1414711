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

  private func item(_ manifest: ItemManifest, _ packaged: [PackageManifest.File]) -> RuleItem {
    RuleItem(manifest: manifest, files: files(packaged, item: manifest.itemId), place: place(manifest.itemId))
  }

  private func outcomes() -> [RuleItem] {
    manifest.outcomes.map { item in
      let certification = item.certification
      return self.item(
        ItemManifest(
          itemId: item.id, kind: .courseOutcome, academicYear: item.academicYear, term: item.term,
          courseCode: item.courseCode, title: item.title, summary: item.summary, uploadedAt: item.uploadedAt,
          files: item.files.map { ItemManifest.FileEntry(name: $0.originalName, role: $0.role) },
          certification: ItemManifest.Certification(
            status: certification.status, teacherId: certification.teacherId, at: certification.at,
            reasonCode: certification.reasonCode, reason: certification.reason),
          selected: item.selected), item.files)
    }
  }

  private func performances() -> [RuleItem] {
    manifest.performances.map { item in
      self.item(
        ItemManifest(
          itemId: item.id, kind: .multiplePerformance, academicYear: item.academicYear, term: item.term,
          category: item.category, title: item.title, summary: item.summary, uploadedAt: item.uploadedAt,
          startDate: item.startDate, endDate: item.endDate, externalLink: item.externalLink,
          details: item.details.map {
            ItemManifest.Details(
              level: $0.level.map(LooseString.init), participation: $0.participation.map(LooseString.init),
              hours: $0.hours.map(LooseString.init), organizer: $0.organizer.map(LooseString.init),
              award: $0.award.map(LooseString.init))
          },
          files: item.files.map { ItemManifest.FileEntry(name: $0.originalName, role: $0.role) },
          selected: item.selected), item.files)
    }
  }

  private func consultations() -> [RuleItem] {
    (manifest.consultations ?? []).map { item in
      self.item(
        ItemManifest(
          itemId: item.id, kind: .consultation, academicYear: item.academicYear, term: item.term,
          summary: item.summary, uploadedAt: item.uploadedAt,
          files: item.files.map { ItemManifest.FileEntry(name: $0.originalName, role: $0.role) }, selected: false),
        item.files)
    }
  }
}
