import Foundation

/// Builds the rules' view of a drop directory: one `RuleStudent` per student folder, with the
/// inspections of their files — each built when its student is judged, never all at once.
struct DropSubjects: Sendable {
  let scan: DropScan
  /// What was learnt of each scanned file, by position: the files of item `i` start at
  /// `firstFile[i]` (without an inspection: not a regular file, unreadable).
  let results: FileResults
  let firstFile: [Int]
  /// Every student with items or a record, in student-number order.
  let numbers: [String]
  /// The positions of each student's usable items in the scan.
  private let itemsOf: [String: [Int]]
  /// The positions of each student's course records in the roster.
  private let coursesOf: [String: [Int]]

  init(scan: DropScan, results: FileResults, firstFile: [Int]) {
    self.scan = scan
    self.results = results
    self.firstFile = firstFile
    var itemsOf: [String: [Int]] = [:]
    for (index, item) in scan.items.enumerated() where item.manifest != nil {
      itemsOf[item.studentNumber, default: []].append(index)
    }
    self.itemsOf = itemsOf
    var coursesOf: [String: [Int]] = [:]
    for (index, course) in scan.roster.courses.enumerated() {
      coursesOf[course.studentNumber, default: []].append(index)
    }
    self.coursesOf = coursesOf
    numbers = Set(itemsOf.keys).union(scan.roster.students.keys).sorted()
  }

  /// The rules' context for this drop.
  func context(table: PolicyTable, memory: ValidationMemory) -> RuleContext {
    var context = RuleContext(table: table, source: .drop)
    context.school = scan.school
    context.windows = scan.windows
    context.timeZone = scan.timeZone
    context.memory = memory
    return context
  }

  /// The student numbered `number`: their record, items and course records.
  func student(_ number: String) -> RuleStudent {
    let record = scan.roster.students[number]
    return RuleStudent(
      number: number,
      record: record.map(Self.record),
      items: (itemsOf[number] ?? []).compactMap(item),
      courses: Dictionary(
        (coursesOf[number] ?? []).map { index in
          let course = scan.roster.courses[index]
          let key = CourseKey(academicYear: course.academicYear, term: course.term, code: course.courseCode)
          return (key, RuleCourse(key: key, teacherIds: course.teacherIds))
        }, uniquingKeysWith: { first, _ in first }),
      place: FindingPlace(studentNumber: number, file: "students.csv"),
      selectionPlace: FindingPlace(studentNumber: number))
  }

  static func record(_ student: Student) -> StudentRecord {
    StudentRecord(
      idNumber: student.idNumber, idType: student.idType, name: student.name,
      enrollmentYear: student.enrollmentYear, lastAcademicYear: student.lastAcademicYear)
  }

  private func item(_ index: Int) -> RuleItem? {
    let scanned = scan.items[index]
    guard let manifest = scanned.manifest else { return nil }
    let certification = manifest.certification
    let files: [RuleFile] = scanned.files.enumerated().compactMap { position, file in
      guard let inspection = results.inspection(firstFile[index] + position) else { return nil }
      let position = manifest.files.firstIndex { $0.name == file.name }
      let certified = certification?.sha256.flatMap { hashes in
        position.flatMap { $0 < hashes.count ? hashes[$0] : nil }
      }
      return RuleFile(
        name: file.name, claimedName: file.name, role: file.role, inspection: inspection, declaredMime: nil,
        certifiedSHA256: certified,
        place: FindingPlace(
          studentNumber: scanned.studentNumber, itemId: manifest.itemId, file: file.relativePath, shortName: file.name))
    }
    return RuleItem(
      manifest: manifest, files: files,
      place: FindingPlace(
        studentNumber: scanned.studentNumber, itemId: manifest.itemId, shortName: manifest.title ?? manifest.itemId))
  }
}
