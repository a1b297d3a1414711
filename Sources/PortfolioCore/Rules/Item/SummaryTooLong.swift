/// `summary-too-long`: over 100 characters (grapheme clusters of the NFC form) or over 400
/// Unicode scalars (a stack of combining marks is one grapheme but not one character's worth).
enum SummaryTooLong: ItemRule {
  static let code = Finding.Code.summaryTooLong

  static func check(_ item: RuleItem, of student: RuleStudent, in context: RuleContext) -> [Finding] {
    guard let summary = item.summary else { return [] }
    let limits = context.table.summary
    let visible = TextRules.visibleLength(summary)
    let scalars = summary.nfc.unicodeScalars.count
    guard visible > limits.maxGraphemes || scalars > limits.maxScalars else { return [] }
    let over = visible - limits.maxGraphemes
    return [
      Finding(
        Self.self, item.place,
        zh: over > 0
          ? "作品\(item.label)的簡述有 \(visible) 個字，超過上限 \(limits.maxGraphemes) 字（多了 \(over) 字），請刪減後重新送出。"
          : "作品\(item.label)的簡述含有大量組合符號，資料量超過上限，請改用一般文字後重新送出。",
        en: "\(item.id): summary has \(visible) characters (grapheme clusters, NFC) and \(scalars) Unicode scalars; "
          + "limits \(limits.maxGraphemes) and \(limits.maxScalars).",
        evidence: Evidence(
          observed: "\(visible) characters, \(scalars) scalars",
          expected: "at most \(limits.maxGraphemes) characters and \(limits.maxScalars) scalars",
          source: "item.json summary"),
        details: [
          "characters": String(visible), "scalars": String(scalars), "limit": String(limits.maxGraphemes),
        ])
    ]
  }
}
