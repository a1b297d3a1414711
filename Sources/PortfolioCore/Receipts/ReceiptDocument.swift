import Foundation

/// One receipt JSON: its `名冊資訊` and, per student, the records of each sheet.
struct ReceiptDocument: Sendable {
  var fileName: String
  var kind: ReceiptKind
  var schoolCode: String
  var academicYear: Int
  var term: Int
  var records: [SheetRecord]
  /// Every student the file names (also those with no record).
  var people: [PersonKey]

  static func parse(_ file: ReceiptFile, receipt path: String) throws(EnvironmentError) -> ReceiptDocument {
    func untrusted(_ why: String, _ whyZH: String) -> EnvironmentError {
      ReceiptErrors.untrusted(path, entry: file.name, why, whyZH)
    }
    if let problem = StrictJSON.problem(in: file.bytes) {
      throw untrusted("not JSON: \(problem.english) (\(problem.field))", "不是正確的 JSON")
    }
    let body = TextEncoding.withoutBOM(file.bytes)
    guard let top = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] else {
      throw untrusted("the JSON is not an object", "JSON 最外層不是物件")
    }
    guard let info = information(top["名冊資訊"]) else {
      throw untrusted("名冊資訊 is missing or not an object", "缺少「名冊資訊」或格式不對")
    }
    guard let school = text(info["學校代碼"]), let year = text(info["學年度"]).flatMap(Int.init),
      let term = text(info["學期"]).flatMap(Int.init)
    else {
      throw untrusted("名冊資訊 lacks 學校代碼, 學年度 or 學期", "「名冊資訊」缺少學校代碼、學年度或學期")
    }
    if let book = text(info["名冊別"]).flatMap(Int.init), book != file.kind.book.rawValue {
      throw untrusted(
        "名冊資訊 says roster \(book), the file name says \(file.kind.rawValue) (roster \(file.kind.book.rawValue))",
        "「名冊資訊」的名冊別 \(book) 和檔名的「\(file.kind.rawValue)」不符")
    }
    guard let students = top[file.kind.rawValue] as? [Any] else {
      throw untrusted("there is no \(file.kind.rawValue) array", "沒有「\(file.kind.rawValue)」陣列")
    }
    var document = ReceiptDocument(
      fileName: file.name, kind: file.kind, schoolCode: school, academicYear: year, term: term, records: [], people: [])
    for case let student as [String: Any] in students {
      guard let id = text(student["身分證號"]), let birth = text(student["出生日期"]) else {
        throw untrusted("a student without 身分證號 or 出生日期", "有學生缺少身分證號或出生日期")
      }
      let person = PersonKey(idNumber: id, birth: birth)
      document.people.append(person)
      for (sheet, value) in student.sorted(by: { $0.key < $1.key }) {
        guard let rows = value as? [Any] else { continue }
        for case let row as [String: Any] in rows {
          var values: [String: String] = [:]
          for (column, cell) in row { values[column.precomposedStringWithCanonicalMapping] = text(cell) ?? "" }
          document.records.append(
            SheetRecord(person: person, sheet: ReceiptSheets.canonical(sheet), values: values))
        }
      }
    }
    return document
  }

  /// `名冊資訊` as an object, or as a string holding one.
  static func information(_ value: Any?) -> [String: Any]? {
    if let object = value as? [String: Any] { return object }
    guard let string = value as? String, StrictJSON.problem(in: Array(string.utf8)) == nil else { return nil }
    return (try? JSONSerialization.jsonObject(with: Data(string.utf8))) as? [String: Any]
  }

  /// A value as text: strings as they are, numbers as written, nothing for null.
  static func text(_ value: Any?) -> String? {
    switch value {
    case let string as String: return string.precomposedStringWithCanonicalMapping
    case let number as NSNumber: return number.stringValue
    default: return nil
    }
  }
}

extension ReceiptCheck {
  /// The fuzz harness's entry: `bytes` read as every kind of receipt JSON (never throws out).
  public static func parseForFuzzing(_ bytes: UnsafeRawBufferPointer) -> Int {
    var records = 0
    for kind in ReceiptKind.allCases {
      let file = ReceiptFile(name: "fuzz_\(kind.rawValue).json", kind: kind, bytes: Array(bytes))
      if let document = try? ReceiptDocument.parse(file, receipt: "fuzz.zip") {
        records += document.records.map { ReceiptSheets.identity(of: $0).count }.reduce(0, +)
      }
    }
    return records
  }
}
