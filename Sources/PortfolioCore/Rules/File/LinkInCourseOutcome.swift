/// `link-in-course-outcome`: a course-outcome document with link or script actions (a
/// certified outcome must not change, and a link's target can; seed 003 Q32). Multiple
/// performances may carry links.
enum LinkInCourseOutcome: FileRule {
  static let code = Finding.Code.linkInCourseOutcome

  static func check(_ file: RuleFile, of item: RuleItem, in context: RuleContext) -> [Finding] {
    guard item.kind == .courseOutcome else { return [] }
    return file.problems.compactMap { problem in
      guard case .links(let actions) = problem else { return nil }
      return Finding(
        Self.self, file.place,
        zh: "「\(file.name)」含有連結或程式動作。課程學習成果經老師認證後內容不能再改變，而連結的內容可能事後被修改，"
          + "所以不能有連結。請刪除連結後重新匯出 PDF 上傳；需要附網址的作品可放在多元表現。",
        en: "\(file.place.file ?? file.name) is a course-outcome document with \(actions.joined(separator: ", ")) "
          + "actions; course outcomes must contain no links (seed 003 Q32).",
        evidence: Evidence(
          observed: actions.joined(separator: " "), expected: "no link or script actions", source: file.parserName),
        details: ["actions": actions.joined(separator: " ")])
    }
  }
}
