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

  static func notRegistered(package name: String, idNumber masked: String) -> Finding {
    Finding(
      Self.self, FindingPlace(file: name),
      zh: "轉入封包「\(name)」：本校學生名冊中沒有身分證明號碼 \(masked) 的學生，請註冊組先把轉學生（本校的新學號）加入 students.csv。",
      en: "\(name): no student of this school's students.csv has the ID number \(masked); "
        + "register the transfer student (under this school's number) first",
      evidence: Evidence(observed: masked, expected: "a student of students.csv", source: "students.csv"))
  }
}
