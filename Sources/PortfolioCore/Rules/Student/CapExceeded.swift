import Foundation

/// `cap-exceeded`: over the school's caps of course outcomes per term and per course. The
/// latest uploads beyond a cap are the ones refused (times compared as instants, not as text).
enum CapExceeded: StudentRule {
  static let code = Finding.Code.capExceeded

  static func check(_ student: RuleStudent, in context: RuleContext) -> [Finding] {
    guard context.isDrop, let caps = context.school?.caps else { return [] }
    let outcomes = student.items.filter { $0.kind == .courseOutcome && !$0.imported }
    var findings: [Finding] = []
    if let perTerm = caps.courseOutcomesPerTerm {
      let groups = Dictionary(grouping: outcomes) {
        TermKey(academicYear: $0.academicYear, term: $0.term ?? 0, course: "")
      }
      findings += refuse(groups, cap: perTerm, what: "每學期課程學習成果", whatEN: "course outcomes per term", context)
    }
    if let perCourse = caps.courseOutcomesPerCourse {
      let groups = Dictionary(grouping: outcomes) {
        TermKey(academicYear: $0.academicYear, term: $0.term ?? 0, course: $0.courseCode ?? "")
      }
      findings += refuse(groups, cap: perCourse, what: "每門課的成果", whatEN: "course outcomes per course", context)
    }
    return findings
  }

  private struct TermKey: Hashable, Comparable {
    let academicYear: Int
    let term: Int
    let course: String
    static func < (a: TermKey, b: TermKey) -> Bool {
      (a.academicYear, a.term, a.course) < (b.academicYear, b.term, b.course)
    }
  }

  private static func refuse(
    _ groups: [TermKey: [RuleItem]], cap: Int, what: String, whatEN: String, _ context: RuleContext
  ) -> [Finding] {
    var findings: [Finding] = []
    for (_, group) in groups.sorted(by: { $0.key < $1.key }) where group.count > cap {
      let ordered = group.map { (order($0, context), $0) }.sorted { $0.0 < $1.0 }.map(\.1)
      for item in ordered.dropFirst(cap) {
        findings.append(
          Finding(
            Self.self, item.place,
            zh: "「\(item.title ?? item.id)」超過學校規定的上限：\(what)最多 \(cap) 件（你上傳了 \(group.count) 件）。請刪除不需要的成果。",
            en: "\(item.id): over the school cap of \(cap) \(whatEN) (\(group.count) uploaded).",
            evidence: Evidence(
              observed: "\(group.count) uploaded", expected: "at most \(cap)", source: "school.json caps"),
            details: ["cap": String(cap), "count": String(group.count)]))
      }
    }
    return findings
  }

  /// Upload order: the instant of `uploadedAt` (an unreadable time counts as latest), then id.
  private static func order(_ item: RuleItem, _ context: RuleContext) -> UploadOrder {
    let at = item.uploadedAt.flatMap { Timestamps.parse($0, timeZone: context.timeZone) } ?? .distantFuture
    return UploadOrder(at: at, id: item.id)
  }

  private struct UploadOrder: Comparable {
    let at: Date
    let id: String
    static func < (a: UploadOrder, b: UploadOrder) -> Bool { (a.at, a.id) < (b.at, b.id) }
  }
}
