/// The basic data and course records of a drop directory: `students.csv`, `courses.csv`,
/// `cadres.csv`.
public struct Roster: Sendable {
  public var students: [String: Student] = [:]
  public var courses: [CourseRecord] = []
  public var cadres: [CadreRecord] = []
  /// Whether `students.csv` could be read: without it every student is unknown.
  public var hasStudentList = false

  static let studentColumns = ["studentNumber", "idNumber", "name", "birthDate", "enrollmentYear"]
  static let courseColumns = [
    "studentNumber", "academicYear", "term", "courseCode", "courseName", "credits", "score", "passed",
    "teacherIds",
  ]
  static let cadreColumns = ["studentNumber", "academicYear", "term", "level", "unit", "title"]

  /// Reads the three tables; every problem becomes a finding, and bad rows are left out.
  static func read(drop: String, findings: inout [Finding]) -> Roster {
    var roster = Roster()
    if let table = CSVTable.read(drop: drop, name: "students.csv", required: studentColumns, findings: &findings) {
      roster.hasStudentList = true
      for row in table.rows {
        guard let student = roster.student(row, file: table.file, findings: &findings) else { continue }
        roster.students[student.studentNumber] = student
      }
    }
    if let table = CSVTable.read(drop: drop, name: "courses.csv", required: courseColumns, findings: &findings) {
      for row in table.rows {
        guard let number = row["studentNumber"], Identifiers.isStudentNumber(number),
          let year = row["academicYear"].flatMap(Int.init), (108...199).contains(year),
          let term = row["term"].flatMap(Int.init), [1, 2].contains(term), let code = row["courseCode"],
          FieldRules.isDecimal(row["credits"], in: 0...20), FieldRules.isDecimal(row["score"], in: 0...100),
          FieldRules.isOneLineText(row["courseName"] ?? "")
        else {
          findings.append(
            rowProblem(
              table.file, row,
              "studentNumber, academicYear (108–199), term (1 or 2), courseCode, credits (0–20), score (0–100)"))
          continue
        }
        let passed = ["true", "1", "yes", "y", "通過", "是"].contains(row["passed"]?.lowercased() ?? "")
        let teachers = (row["teacherIds"] ?? "").split(separator: ";").map { String($0).trimmedSpaces }
          .filter { !$0.isEmpty }
        roster.courses.append(
          CourseRecord(
            studentNumber: number, academicYear: year, term: term, courseCode: code,
            courseName: row["courseName"] ?? "", credits: row["credits"] ?? "", score: row["score"] ?? "",
            passed: passed, teacherIds: teachers))
      }
    }
    if let table = CSVTable.read(
      drop: drop, name: "cadres.csv", required: cadreColumns, optional: true, findings: &findings)
    {
      for row in table.rows {
        guard let number = row["studentNumber"], Identifiers.isStudentNumber(number),
          let year = row["academicYear"].flatMap(Int.init), (108...199).contains(year),
          let term = row["term"].flatMap(Int.init), [1, 2].contains(term),
          let level = row["level"], ["1", "2", "3", "4", "5", "9"].contains(level),
          FieldRules.isOneLineText(row["unit"] ?? ""), FieldRules.isOneLineText(row["title"] ?? ""),
          FieldRules.isOptionalDate(row["startDate"]), FieldRules.isOptionalDate(row["endDate"])
        else {
          findings.append(
            rowProblem(
              table.file, row,
              "studentNumber, academicYear (108–199), term (1 or 2), level (1–5 or 9), dates (2023-09-01)"))
          continue
        }
        roster.cadres.append(
          CadreRecord(
            studentNumber: number, academicYear: year, term: term, level: level, unit: row["unit"] ?? "",
            title: row["title"] ?? "", startDate: row["startDate"].flatMap(SchoolDates.isoDate),
            endDate: row["endDate"].flatMap(SchoolDates.isoDate)))
      }
    }
    return roster
  }

  private func student(_ row: CSVTable.Row, file: String, findings: inout [Finding]) -> Student? {
    guard let number = row["studentNumber"], Identifiers.isStudentNumber(number) else {
      findings.append(Roster.rowProblem(file, row, "studentNumber (1–20 of 0-9 A-Z a-z _ -)"))
      return nil
    }
    guard students[number] == nil else {
      findings.append(BadMetadata.duplicateStudent(file: file, number: number, row: row.number))
      return nil
    }
    guard let id = row["idNumber"], let name = row["name"],
      let birth = row["birthDate"].flatMap(SchoolDates.isoDate),
      let enrolled = row["enrollmentYear"].flatMap(Int.init), (100...199).contains(enrolled)
    else {
      findings.append(
        Roster.rowProblem(
          file, row, "idNumber, name, birthDate (2007-05-14 or 0960514) and enrollmentYear (Minguo year)",
          student: number))
      return nil
    }
    // A graduation year is optional; one that is not a Minguo year refuses the row like the
    // other fields (it bounds the years the student's items may have).
    let graduation = row["graduationYear"].map { $0.trimmedSpaces }.flatMap { $0.isEmpty ? nil : $0 }
    if let graduation, !(Int(graduation).map { (100...199).contains($0) } ?? false) {
      findings.append(Roster.rowProblem(file, row, "graduationYear (Minguo year, or empty)", student: number))
      return nil
    }
    if let problem = FieldRules.nameProblem(name) {
      findings.append(BadMetadata.studentName(file: file, row: row.number, student: number, problem: problem))
    }
    let typeText =
      row["idType"].map { $0.trimmedSpaces }.flatMap { $0.isEmpty ? nil : $0 } ?? IDType.nationalID.rawValue
    let idType = IDType(rawValue: typeText)
    if idType == nil {
      findings.append(BadMetadata.unknownIDType(file: file, row: row.number, student: number, value: typeText))
    }
    return Student(
      studentNumber: number, idNumber: id, idType: idType, name: name,
      birthDate: birth, enrollmentYear: enrolled, className: row["className"],
      graduationYear: graduation.flatMap { Int($0) })
  }

  static func rowProblem(_ file: String, _ row: CSVTable.Row, _ expected: String, student: String? = nil)
    -> Finding
  {
    BadMetadata.badRow(file: file, row: row.number, expected: expected, student: student)
  }
}
