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
}
