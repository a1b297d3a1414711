/// `unknown-course`: a course outcome whose course is not in the student's course records
/// for that academic year and term (an imported outcome carries its own course record).
enum UnknownCourse: ItemRule {
  static let code = Finding.Code.unknownCourse
  static let judgesPeriod = true

  static func check(_ item: RuleItem, of student: RuleStudent, in context: RuleContext) -> [Finding] {
    guard item.kind == .courseOutcome, student.record != nil || !context.isDrop else { return [] }
    guard student.course(of: item) == nil else { return [] }
    let code = item.courseCode ?? ""
    let term = item.term ?? 0
    return [
      Finding(
        Self.self, item.place,
        zh: "課程學習成果\(item.label)選的課程（課程代碼 \(code)）不在你 \(item.academicYear) 學年度第 \(term) 學期的修課紀錄中，"
          + "請確認選對課程；若修課紀錄有誤，請告訴教務處。",
        en: "\(item.id): course \(code) is not in the student's course records for \(item.academicYear)-\(term).",
        evidence: Evidence(
          observed: "courseCode \(code)", expected: "a course record of \(item.academicYear)-\(term)",
          source: context.isDrop ? "courses.csv" : "courseRecords"),
        details: ["courseCode": code])
    ]
  }
}

extension RuleStudent {
  /// The course record an outcome belongs to: the one carried with an imported outcome, else
  /// the student's own record of that year, term and code.
  func course(of item: RuleItem) -> RuleCourse? {
    if let carried = item.carriedCourse, carried == item.courseKey { return RuleCourse(key: carried, teacherIds: nil) }
    return item.courseKey.flatMap { courses[$0] }
  }
}
