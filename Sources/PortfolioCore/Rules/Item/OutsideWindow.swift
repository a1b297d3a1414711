import Foundation

/// `outside-window`: uploaded outside the school's upload window for the item's year (and
/// term, for course outcomes). Imported items were uploaded in the sending school's window.
enum OutsideWindow: ItemRule {
  static let code = Finding.Code.outsideWindow
  static let judgesPeriod = true

  static func check(_ item: RuleItem, of student: RuleStudent, in context: RuleContext) -> [Finding] {
    guard context.isDrop, student.record != nil, item.kind != .consultation, !item.imported,
      let uploaded = item.uploadedAt
    else { return [] }
    let windows = context.windows.filter {
      $0.applies(kind: item.kind, academicYear: item.academicYear, term: item.term)
    }
    guard !windows.isEmpty, let at = Timestamps.parse(uploaded, timeZone: context.timeZone) else { return [] }
    let verdicts = windows.map { $0.contains(at) }
    // Inside one window, or a window that cannot be read (reported on school.json): no claim.
    guard !verdicts.contains(true), !verdicts.contains(nil) else { return [] }
    let span = windows.map(\.text).joined(separator: "; ")
    let spoken = windows.map { PeopleDates.span($0, in: context.timeZone) }.joined(separator: "；")
    let when = PeopleDates.moment(at, in: context.timeZone)
    return [
      Finding(
        Self.self, item.place,
        zh: "作品\(item.label)上傳的時間（\(when)）不在學校開放的上傳期間（\(spoken)）內，逾時無法補件。如有特殊情況請洽學校。",
        en: "\(item.id): uploadedAt \(uploaded) is outside the school's window(s) \(span).",
        evidence: Evidence(observed: "uploadedAt \(uploaded)", expected: span, source: "school.json windows"),
        details: ["uploadedAt": uploaded, "windows": span])
    ]
  }
}
