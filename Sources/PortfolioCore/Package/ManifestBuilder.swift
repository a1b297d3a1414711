import Foundation

/// The parts of one student's manifest collected while its items are added.
struct ManifestParts {
  var sources: [(entry: String, source: String, identity: String)] = []
  var policies = Set<String>()
  /// The items by kind, each in the order added (the manifest lists outcomes, performances,
  /// then consultation records).
  var items: [ItemKind: [PackagedItem]] = [:]
  var leftOut: [String] = []
}

extension Packager {
  /// The manifest, the zip entries with their drop paths and validated identities, and the
  /// items left out.
  func buildManifest(_ student: Student) -> (
    PackageManifest, [(entry: String, source: String, identity: String)], [String]
  ) {
    let records = recordsByStudent[student.studentNumber] ?? [:]
    var parts = ManifestParts()
    let items = (itemsByStudent[student.studentNumber] ?? [])
      .sorted {
        ($0.manifest?.academicYear ?? 0, $0.manifest?.itemId ?? "") < (
          $1.manifest?.academicYear ?? 0, $1.manifest?.itemId ?? ""
        )
      }
    for item in items {
      guard let manifest = item.manifest, include(manifest) else { continue }
      guard accepted.contains(ItemKey(studentNumber: student.studentNumber, itemId: manifest.itemId)) else {
        parts.leftOut.append(manifest.itemId)
        continue
      }
      add(item, manifest, records: records, to: &parts)
    }
    let outcomes = parts.items[.courseOutcome] ?? []
    let (cadres, courses) = rosterRecords(of: student, items: items, outcomes: outcomes)
    var policies = parts.policies
    if policies.isEmpty {
      policies.insert(
        validation.table.policy(for: PolicyYear(academicYear: academicYear ?? student.enrollmentYear, term: 1)).id)
    }
    let school = validation.scan.school
    let manifest = PackageManifest(
      kind: kind, schoolCode: school?.schoolCode ?? "", schoolType: school?.schoolType ?? "general",
      academicYear: kind == .central ? academicYear : nil, generatedAt: isoTimestamp(generatedAt),
      generator: "portfolio \(PortfolioVersion.current)", policy: policies.sorted().joined(separator: " "),
      student: PackageManifest.StudentData(
        studentNumber: student.studentNumber, idNumber: student.idNumber, idType: student.idType ?? .other,
        name: student.name,
        birthDate: student.birthDate, enrollmentYear: student.enrollmentYear, cadres: cadres),
      courses: courses,
      items: outcomes + (parts.items[.multiplePerformance] ?? [])
        + (kind == .transfer ? parts.items[.consultation] ?? [] : []),
      hasConsultationRecords: kind == .transfer)
    return (manifest, parts.sources, parts.leftOut)
  }

  func include(_ manifest: ItemManifest) -> Bool {
    switch kind {
    case .central:
      return manifest.kind != .consultation && manifest.academicYear == academicYear && manifest.selected == true
        && (manifest.kind != .courseOutcome || manifest.certification?.status == .passed)
    case .transfer:
      return true
    }
  }

  /// The manifest's file entries of an item (each with its zip entry and drop source).
  func files(
    _ item: ScannedItem, _ manifest: ItemManifest, records: [FileKey: FileRecord], parts: inout ManifestParts
  ) -> [PackageManifest.File] {
    var result: [PackageManifest.File] = []
    for (index, file) in item.files.enumerated() {
      let key = FileKey(item: ItemKey(studentNumber: item.studentNumber, itemId: manifest.itemId), fileName: file.name)
      guard let record = records[key],
        let ext = ContentNames.preferredExtension(record.mime)
      else { continue }
      let entry = "files/\(manifest.itemId)/\(index + 1).\(ext)"
      parts.sources.append((entry, file.relativePath, file.identity))
      parts.policies.insert(record.policy)
      result.append(
        PackageManifest.File(
          role: file.role, path: entry, mime: record.mime, bytes: record.bytes, sha256: record.sha256,
          originalName: file.name.precomposedStringWithCanonicalMapping, pages: record.pages, width: record.width,
          height: record.height, durationSeconds: record.durationSeconds))
    }
    return result
  }

  /// Adds one accepted, included item to the manifest's parts: the item as submitted — what the
  /// field specification requires filled in (a term, a category, ISO dates), without what only
  /// the drop knows (the certified hashes, where an imported item came from).
  func add(_ item: ScannedItem, _ manifest: ItemManifest, records: [FileKey: FileRecord], to parts: inout ManifestParts)
  {
    let files = files(item, manifest, records: records, parts: &parts)
    var submitted = manifest
    submitted.transfer = nil
    submitted.selected = manifest.kind == .consultation ? nil : manifest.selected ?? false
    switch manifest.kind {
    case .courseOutcome:
      submitted.term = manifest.term ?? 1
      submitted.courseCode = manifest.courseCode ?? ""
      submitted.title = manifest.title ?? ""
      let certification = manifest.certification
      submitted.certification = ItemManifest.Certification(
        status: certification?.status ?? .pending, teacherId: certification?.teacherId, at: certification?.at,
        reasonCode: certification?.reasonCode, reason: certification?.reason)
      (submitted.category, submitted.startDate, submitted.endDate) = (nil, nil, nil)
      (submitted.externalLink, submitted.details) = (nil, nil)
    case .multiplePerformance:
      submitted.category = manifest.category ?? "other"
      submitted.title = manifest.title ?? ""
      submitted.startDate = manifest.startDate.flatMap(SchoolDates.isoDate) ?? ""
      submitted.endDate = manifest.endDate.flatMap(SchoolDates.isoDate)
      submitted.details = manifest.details.flatMap { details in
        details.fields.allSatisfy { $0.value == nil } ? nil : details
      }
      (submitted.courseCode, submitted.certification) = (nil, nil)
    case .consultation:
      submitted = ItemManifest(
        itemId: manifest.itemId, kind: .consultation, academicYear: manifest.academicYear, term: manifest.term ?? 1,
        files: [])
    }
    submitted.summary = manifest.summary ?? ""
    submitted.uploadedAt = manifest.uploadedAt ?? ""
    parts.items[manifest.kind, default: []].append(PackagedItem(submitted, files: files))
  }

  /// The student's cadre and course records of the package's years (imported outcomes bring the
  /// sending school's course record with them).
  func rosterRecords(of student: Student, items: [ScannedItem], outcomes: [PackagedItem]) -> (
    [PackageManifest.Cadre], [PackageManifest.Course]
  ) {
    let inYear = { (year: Int) in self.kind == .transfer || year == self.academicYear }
    let cadres = (cadresByStudent[student.studentNumber] ?? []).filter { inYear($0.academicYear) }
      .sorted { ($0.academicYear, $0.term, $0.title) < ($1.academicYear, $1.term, $1.title) }
      .map {
        PackageManifest.Cadre(
          academicYear: $0.academicYear, term: $0.term, level: $0.level, unit: $0.unit, title: $0.title,
          startDate: $0.startDate, endDate: $0.endDate)
      }
    var courses = (coursesByStudent[student.studentNumber] ?? []).filter { inYear($0.academicYear) }
      .map {
        PackageManifest.Course(
          academicYear: $0.academicYear, term: $0.term, code: $0.courseCode, name: $0.courseName, credits: $0.credits,
          score: $0.score, passed: $0.passed)
      }
    // Imported outcomes bring the sending school's course record with them.
    for item in items {
      guard let carried = item.manifest?.transfer?.course, inYear(carried.academicYear),
        outcomes.contains(where: { $0.item.itemId == item.manifest?.itemId }),
        !courses.contains(where: {
          $0.code == carried.code && $0.academicYear == carried.academicYear && $0.term == carried.term
        })
      else { continue }
      courses.append(carried)
    }
    courses.sort { ($0.academicYear, $0.term, $0.code) < ($1.academicYear, $1.term, $1.code) }
    return (cadres, courses)
  }
}
