/// `student-mismatch` (import): the package's student number belongs to another student here
/// (a different ID number); never merged.
enum StudentMismatch: FindingRule {
  static let code = Finding.Code.studentMismatch

  static func finding(package name: String, number: String, local: String, incoming: String) -> Finding {
    Finding(
      Self.self, FindingPlace(file: name), zh: "轉入封包「\(name)」：學號 \(number) 在本校屬於另一位學生（身分證明號碼不同），不會合併。",
      en:
        "\(name): student \(number) exists here with a different ID number (\(local) vs \(incoming)); refused, not merged",
      evidence: Evidence(observed: incoming, expected: local, source: "students.csv"))
  }

  static func birthDate(package name: String, number: String) -> Finding {
    Finding(
      Self.self, FindingPlace(file: name),
      zh: "轉入封包「\(name)」：身分證明號碼與本校學號 \(number) 的學生相同，但出生日期不同，不會合併。請註冊組核對兩校的學籍資料。",
      en: "\(name): the ID number is that of student \(number) here, but the birth date differs; refused, not merged. "
        + "Check both schools' records.",
      evidence: Evidence(
        observed: "birth date of the package", expected: "birthDate of students.csv", source: "students.csv"))
  }

  static func sameIDTwice(package name: String, numbers: [String], idNumber masked: String) -> Finding {
    let list = numbers.joined(separator: ", ")
    return Finding(
      Self.self, FindingPlace(file: name),
      zh: "轉入封包「\(name)」：本校學生名冊中有多位學生（\(list)）的身分證明號碼相同，無法判斷是哪一位，不會合併。請註冊組先更正 students.csv。",
      en:
        "\(name): students \(list) of students.csv share the ID number \(masked); refused until students.csv is corrected",
      evidence: Evidence(observed: list, expected: "one student per ID number", source: "students.csv"))
  }
}
