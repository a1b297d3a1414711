/// `rare-character` (warning): a name with Private Use Area, CJK Extension B+ or CJK
/// compatibility characters: staff must check it displays correctly everywhere.
enum RareCharacter: StudentRule {
  static let code = Finding.Code.rareCharacter

  static func check(_ student: RuleStudent, in context: RuleContext) -> [Finding] {
    guard context.isDrop, let record = student.record else { return [] }
    let rare = TextRules.rareCharacters(in: record.name)
    guard !rare.isEmpty else { return [] }
    let codes = rare.map(TextRules.codePoint).joined(separator: " ")
    return [
      Finding(
        Self.self, student.place,
        zh: "你的姓名含有罕用字或造字（\(rare.map { String($0) }.joined())）。請確認報告與收訖明細上的姓名顯示正確；若顯示有誤，請告訴學校註冊組。",
        en: "students.csv: the name of \(student.number) holds \(codes) (Private Use Area, CJK Extension B+ or "
          + "compatibility ideographs); check it displays correctly in every system.",
        evidence: Evidence(observed: codes, expected: "characters every system shows", source: "students.csv name"),
        details: ["codePoints": codes])
    ]
  }
}
