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

  /// Reads the three tables. A table that cannot be used at all, or a students.csv without one
  /// usable student, stops the run (``EnvironmentError``); a bad row is a finding and is left out.
  static func read(drop: String, findings: inout [Finding]) throws(EnvironmentError) -> Roster {
    var roster = Roster()
    if let table = try CSVTable.read(drop: drop, name: "students.csv", required: studentColumns) {
      roster.hasStudentList = true
      var rowFindings: [Finding] = []
      for row in table.rows {
        guard let student = roster.student(row, file: table.file, findings: &rowFindings) else { continue }
        roster.students[student.studentNumber] = student
      }
      if roster.students.isEmpty { throw noStudents(drop + "/students.csv", rows: table.rows.count, rowFindings) }
      findings += rowFindings
    }
    if let table = try CSVTable.read(drop: drop, name: "courses.csv", required: courseColumns) {
      for row in table.rows {
        guard let number = row["studentNumber"], Identifiers.isStudentNumber(number),
          let year = row["academicYear"].flatMap(Int.init), AcademicYears.valid.contains(year),
          let term = row["term"].flatMap(Int.init), [1, 2].contains(term), let code = row["courseCode"],
          FieldRules.isDecimal(row["credits"], in: 0...20), FieldRules.isDecimal(row["score"], in: 0...100),
          FieldRules.isOneLineText(row["courseName"] ?? "")
        else {
          findings.append(
            rowProblem(
              table.file, row,
              "studentNumber, academicYear (\(AcademicYears.text)), term (1 or 2), courseCode, credits (0–20), score (0–100)"
            ))
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
    if let table = try CSVTable.read(drop: drop, name: "cadres.csv", required: cadreColumns, optional: true) {
      for row in table.rows {
        guard let number = row["studentNumber"], Identifiers.isStudentNumber(number),
          let year = row["academicYear"].flatMap(Int.init), AcademicYears.valid.contains(year),
          let term = row["term"].flatMap(Int.init), [1, 2].contains(term),
          let level = row["level"], ["1", "2", "3", "4", "5", "9"].contains(level),
          FieldRules.isOneLineText(row["unit"] ?? ""), FieldRules.isOneLineText(row["title"] ?? ""),
          FieldRules.isOptionalDate(row["startDate"]), FieldRules.isOptionalDate(row["endDate"])
        else {
          findings.append(
            rowProblem(
              table.file, row,
              "studentNumber, academicYear (\(AcademicYears.text)), term (1 or 2), level (1–5 or 9), dates (2023-09-01)"
            ))
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
    func refuse(_ column: String, _ problem: String, zh: String) -> Student? {
      findings.append(
        BadMetadata.badField(file: file, row: row.number, column: column, student: number, problem: problem, zh: zh))
      return nil
    }
    guard let id = row["idNumber"], let name = row["name"], let birthText = row["birthDate"],
      let enrolledText = row["enrollmentYear"]
    else {
      let empty = ["idNumber", "name", "birthDate", "enrollmentYear"].filter { row[$0] == nil }
      return refuse(empty[0], "\(empty.joined(separator: ", ")) \(empty.count == 1 ? "is" : "are") empty", zh: "是空的")
    }
    guard let birth = SchoolDates.isoDate(birthText) else {
      return refuse(
        "birthDate", "birthDate \"\(PrivateData.shape(birthText))\" is not a date (2007-05-14, 2007/5/14 or 0960514)",
        zh: "不是日期（例如 2007-05-14、2007/5/14 或 0960514）")
    }
    guard let enrolled = Int(enrolledText), (100...199).contains(enrolled) else {
      return refuse(
        "enrollmentYear", "enrollmentYear \"\(enrolledText.prefix(12))\" is not a Minguo year (100–199, e.g. 112)",
        zh: "不是民國年（例如 112）")
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

  /// students.csv gave no student: every upload would be judged as an unknown student's.
  static func noStudents(_ path: String, rows: Int, _ problems: [Finding]) -> EnvironmentError {
    let first = problems.first.map { " (the first: \($0.messageEN))" } ?? ""
    return EnvironmentError(
      .noStudents, path: path,
      en: rows == 0
        ? "students.csv has a header but no student rows"
        : "none of the \(rows) rows of students.csv can be used\(first)",
      zh: rows == 0 ? "students.csv 只有標題列，沒有任何學生。" : "students.csv 的 \(rows) 列資料都無法使用。",
      fix: "Export the students from the school's system again (one row per student) and run again.",
      fixZH: "請從校務系統重新匯出學生資料（每位學生一列），再重新執行。")
  }

  static func rowProblem(_ file: String, _ row: CSVTable.Row, _ expected: String, student: String? = nil)
    -> Finding
  {
    BadMetadata.badRow(file: file, row: row.number, expected: expected, student: student)
  }
}
