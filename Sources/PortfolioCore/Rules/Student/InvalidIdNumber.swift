/// `invalid-id-number`: the ID number fails its checksum (the number is shown masked only).
enum InvalidIdNumber: StudentRule {
  static let code = Finding.Code.invalidIdNumber

  static func check(_ student: RuleStudent, in context: RuleContext) -> [Finding] {
    guard let record = student.record, let type = record.idType,
      !IDNumberRules.isValid(record.idNumber, type: type)
    else { return [] }
    let masked = PrivateData.maskIDNumber(record.idNumber)
    let source = student.place.file ?? "students.csv"
    return [
      Finding(
        Self.self, student.place,
        zh: context.isDrop
          ? "學校名冊中你的身分證明號碼（\(masked)）檢查碼不正確，資料無法送到中央資料庫。請向學校註冊組確認。"
          : "封包中的身分證明號碼（\(masked)）檢查碼不正確，資料無法送到中央資料庫。",
        en:
          "\(source): student \(student.number) has an ID number (\(masked)) that fails the \(type.rawValue) checksum.",
        evidence: Evidence(observed: masked, expected: "a valid \(type.rawValue) checksum", source: source),
        details: ["idType": type.rawValue, "idNumber": masked], blocks: .identity)
    ]
  }
}
