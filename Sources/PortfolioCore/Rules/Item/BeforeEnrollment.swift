/// `before-enrollment`: a multiple performance dated before 1 July of the enrollment year
/// (junior-high achievements do not belong in the senior-high portfolio).
enum BeforeEnrollment: ItemRule {
  static let code = Finding.Code.beforeEnrollment

  static func check(_ item: RuleItem, of student: RuleStudent, in context: RuleContext) -> [Finding] {
    guard item.kind == .multiplePerformance, let record = student.record,
      let start = item.startDate.flatMap(SchoolDates.isoDate)
    else { return [] }
    let earliest = "\(record.enrollmentYear + 1911)-07-01"
    guard start < earliest else { return [] }
    return [
      Finding(
        Self.self, item.place,
        zh: "多元表現\(item.label)的日期是\(PeopleDates.day(iso: start) ?? start)，早於你入學那年的 7 月 1 日"
          + "（\(PeopleDates.day(iso: earliest) ?? earliest)）。國中時期的表現不能放入高中學習歷程。",
        en: "\(item.id): startDate \(start) is before 1 July of the enrollment year (\(earliest)).",
        evidence: Evidence(
          observed: "startDate \(start)", expected: "on or after \(earliest)", source: "enrollment year"),
        details: ["startDate": start, "earliest": earliest])
    ]
  }
}
