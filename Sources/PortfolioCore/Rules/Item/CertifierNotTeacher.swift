/// `certifier-not-teacher`: certified by someone who does not teach the course.
enum CertifierNotTeacher: ItemRule {
  static let code = Finding.Code.certifierNotTeacher

  static func check(_ item: RuleItem, of student: RuleStudent, in context: RuleContext) -> [Finding] {
    guard item.kind == .courseOutcome, !item.imported, let certification = item.certification,
      certification.status != .pending, let teacher = certification.teacherId,
      let course = student.course(of: item), let teachers = course.teacherIds, !teachers.contains(teacher)
    else { return [] }
    return [
      Finding(
        Self.self, item.place,
        zh: "作品\(item.label)的認證老師不是這門課的授課老師，認證無效。請授課老師重新認證。",
        en: "\(item.id): certified by \(teacher), who does not teach \(course.key.code) "
          + "(teachers: \(teachers.joined(separator: ", "))).",
        evidence: Evidence(
          observed: "certified by \(teacher)", expected: "one of \(teachers.joined(separator: ", "))",
          source: "courses.csv teacherIds"),
        details: ["teacherId": teacher, "courseTeachers": teachers.joined(separator: ";")])
    ]
  }
}
