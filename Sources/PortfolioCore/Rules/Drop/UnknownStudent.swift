/// `unknown-student`: an uploads folder of a student not in students.csv (or, on import, a
/// transfer student the receiving school has not registered yet).
enum UnknownStudent: FindingRule {
  static let code = Finding.Code.unknownStudent

  static func finding(_ place: FindingPlace) -> Finding {
    let number = place.studentNumber ?? ""
    return Finding(
      Self.self, place,
      zh: "學號 \(number) 不在學校的學生名冊中，這個資料夾的作品都不會處理。請向學校註冊組確認學號。",
      en: "uploads/\(number) belongs to no student in students.csv; none of its items is processed. "
        + "Add the student to students.csv or remove the folder.",
      evidence: Evidence(observed: "uploads/\(number)", expected: "a student of students.csv", source: "students.csv"))
  }

  static func notRegistered(package name: String, number: String) -> Finding {
    Finding(
      Self.self, FindingPlace(file: name),
      zh: "轉入封包「\(name)」：學號 \(number) 不在本校學生名冊中，請註冊組先把轉學生加入 students.csv。",
      en: "\(name): student \(number) is not in this school's students.csv; register the transfer student first",
      evidence: Evidence(observed: "student \(number)", expected: "a student of students.csv", source: "students.csv"))
  }
}
