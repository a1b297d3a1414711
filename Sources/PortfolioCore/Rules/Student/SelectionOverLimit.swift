/// `selection-over-limit`: more than 6 course outcomes or 10 multiple performances submitted
/// for one academic year.
enum SelectionOverLimit: StudentRule {
  static let code = Finding.Code.selectionOverLimit

  static func check(_ student: RuleStudent, in context: RuleContext) -> [Finding] {
    guard student.record != nil else { return [] }
    let limits = context.table.selectionLimits
    let byYear = Dictionary(grouping: student.items.filter(context.submits)) { $0.academicYear }
    var findings: [Finding] = []
    for (year, items) in byYear.sorted(by: { $0.key < $1.key }) {
      let kinds: [(ItemKind, Int, String)] = [
        (.courseOutcome, limits.courseOutcomesPerYear, "課程學習成果"),
        (.multiplePerformance, limits.multiplePerformancesPerYear, "多元表現"),
      ]
      for (kind, limit, word) in kinds {
        let chosen = items.filter { $0.kind == kind }.map(\.id).sorted()
        guard chosen.count > limit else { continue }
        findings.append(
          Finding(
            Self.self, student.selectionPlace,
            zh: "你在 \(year) 學年度勾選了 \(chosen.count) 件\(word)，上限是 \(limit) 件，請取消勾選 \(chosen.count - limit) 件。",
            en:
              "Student \(student.number): \(chosen.count) \(kind.rawValue) items selected for \(year); the limit is \(limit).",
            evidence: Evidence(
              observed: "\(chosen.count) selected", expected: "at most \(limit)", source: "selection limits"),
            details: ["academicYear": String(year), "selected": chosen.joined(separator: " "), "limit": String(limit)],
            blocks: .selection(academicYear: year)))
      }
    }
    return findings
  }
}
