import Foundation

/// `portfolio receipts`: the central database's receipt (收訖明細) compared with what the school
/// submitted. Everything is read and compared before anything is written; a problem of the
/// whole receipt (a wrong password, an untrusted file, another school, year or term) is an
/// environment error, exit 64.
public struct ReceiptCheck: Sendable {
  public let receipt: String
  /// The school's drop directory (students.csv, school.json).
  public let drop: String
  let school: SchoolSettings
  let timeZone: TimeZone
  let rosters: SubmittedRosters
  let documents: [ReceiptDocument]
  let ignored: [String]
  let reconciliation: Reconciliation
  /// The school's students by ID number and birth date.
  let students: [PersonKey: Student]

  /// Reads the receipt, the submitted rosters and the school's students, and compares them.
  /// `drop` defaults to the drop the submitted run recorded in its report.json.
  public static func prepare(receipt: String, submitted: String, drop: String?, password: String?)
    throws(EnvironmentError) -> ReceiptCheck
  {
    try PathCheck.zip(receipt, role: .receipt)
    try PathCheck.folder(submitted, role: .submitted)
    var dropPath = drop ?? ""
    if drop == nil { dropPath = try recordedDrop(submitted) }
    try PathCheck.folder(dropPath, role: .drop)
    let basics = try DropPreflight.check(dropPath)
    let archive = try ReceiptArchive.read(path: receipt, password: password)
    var documents: [ReceiptDocument] = []
    for file in archive.files { documents.append(try ReceiptDocument.parse(file, receipt: receipt)) }
    // One school and year for the whole receipt: the drop's school, and rosters of that year.
    let first = documents[0]
    let school = "school \(basics.school.schoolCode)"
    for document in documents
    where document.schoolCode != basics.school.schoolCode || document.academicYear != first.academicYear {
      throw ReceiptErrors.otherRun(
        receipt, entry: document.fileName, receipt: "school \(document.schoolCode), year \(document.academicYear)",
        submitted: document.schoolCode != basics.school.schoolCode
          ? "\(school) (school.json)" : "year \(first.academicYear) (\(first.fileName))")
    }
    let rosters = try SubmittedRosters.load(
      submitted, schoolCode: first.schoolCode, academicYear: first.academicYear, receipt: receipt)
    // A term the school submitted no grade or cadre roster for: another term's receipt (when it
    // submitted none at all, what the receipt holds is simply unexpected).
    for document in documents
    where document.kind.book.isPerTerm && !rosters.terms.isEmpty && !rosters.terms.contains(document.term) {
      let terms = rosters.terms.sorted().map(String.init).joined(separator: ", ")
      throw ReceiptErrors.otherRun(
        receipt, entry: document.fileName,
        receipt: "school \(document.schoolCode), year \(document.academicYear), term \(document.term)",
        submitted: "\(school), year \(rosters.academicYear), term \(terms)")
    }
    var students: [PersonKey: Student] = [:]
    for student in basics.roster.students.values {
      students[PersonKey(idNumber: student.idNumber, birth: student.birthDate)] = student
    }
    let reconciliation = Reconciliation.compare(rosters, documents, known: Set(students.keys))
    return ReceiptCheck(
      receipt: receipt, drop: dropPath, school: basics.school, timeZone: basics.timeZone, rosters: rosters,
      documents: documents, ignored: archive.ignored, reconciliation: reconciliation, students: students)
  }

  /// The drop a presubmit run read, from its report.json (`drop`).
  static func recordedDrop(_ submitted: String) throws(EnvironmentError) -> String {
    let path = submitted + "/report.json"
    guard case .success(let bytes) = FileSystem.readSmallFile(path, maxBytes: 512 * 1024 * 1024),
      let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any],
      let drop = object["drop"] as? String, !drop.isEmpty
    else {
      throw EnvironmentError(
        .pathNotFound, path: path, en: "the submitted folder does not say which drop it was made from",
        zh: "提交的資料夾沒有記錄它來自哪一個交換資料夾。",
        fix: "Give the school's drop directory with --drop (its students.csv says who each student is).",
        fixZH: "請用 --drop 指定學校的交換資料夾（students.csv 記錄每位學生是誰）。")
    }
    return drop
  }

  /// Whether everything was received as submitted (exit 0) or not (exit 1).
  public var isClean: Bool { reconciliation.isClean }

  /// The academic year and term the receipt is for: the per-term books' term, else 0.
  var term: Int { documents.filter { $0.kind.book.isPerTerm }.map(\.term).max() ?? 0 }

  /// The school's confirmation window for this receipt, when school.json gives one.
  var window: (opens: Date, closes: Date)? {
    let windows = (school.receiptWindows ?? []).filter {
      $0.academicYear == rosters.academicYear && ($0.term == nil || $0.term == term)
    }
    guard let window = windows.first, let opens = Timestamps.parse(window.opens, timeZone: timeZone),
      let closes = Timestamps.parse(window.closes, timeZone: timeZone)
    else { return nil }
    return (opens, closes)
  }
}
