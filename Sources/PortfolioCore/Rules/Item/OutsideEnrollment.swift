/// `outside-enrollment`: the item's academic year is outside the student's enrollment.
enum OutsideEnrollment: ItemRule {
  static let code = Finding.Code.outsideEnrollment
  static let judgesPeriod = true

  static func check(_ item: RuleItem, of student: RuleStudent, in context: RuleContext) -> [Finding] {
    guard let record = student.record, let last = record.lastAcademicYear,
      !(record.enrollmentYear...max(last, record.enrollmentYear)).contains(item.academicYear)
    else { return [] }
    let span = "\(record.enrollmentYear)-\(last)"
    return [
      Finding(
        Self.self, item.place,
        zh: "作品\(item.label)登記在 \(item.academicYear) 學年度，但你在校的學年度是 \(record.enrollmentYear)–\(last)。"
          + "學習歷程只收在學期間的資料，請確認學年度是否選錯。",
        en: "\(item.id): academic year \(item.academicYear) is outside the student's enrollment "
          + "\(record.enrollmentYear)–\(last).",
        evidence: Evidence(observed: "academic year \(item.academicYear)", expected: span, source: "students.csv"),
        details: ["academicYear": String(item.academicYear), "enrollment": span])
    ]
  }
}
