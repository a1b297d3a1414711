import Foundation

/// The four kinds of receipt JSON (收訖明細), each echoing one roster book.
public enum ReceiptKind: String, CaseIterable, Sendable, Comparable {
  case outcomes = "課程學習成果"
  case performances = "多元表現"
  case grades = "修課紀錄"
  case cadres = "校內幹部經歷"

  var book: RosterBook {
    switch self {
    case .outcomes: .outcomes
    case .performances: .performances
    case .grades: .grades
    case .cadres: .cadres
    }
  }

  init(book: RosterBook) {
    switch book {
    case .outcomes: self = .outcomes
    case .performances: self = .performances
    case .grades: self = .grades
    case .cadres: self = .cadres
    }
  }

  /// The kind a JSON file of the receipt holds, known from its name (`…課程學習成果….json`).
  static func of(fileName: String) -> ReceiptKind? {
    let name = fileName.precomposedStringWithCanonicalMapping
    return allCases.first { name.contains($0.rawValue) }
  }

  public static func < (lhs: ReceiptKind, rhs: ReceiptKind) -> Bool { lhs.book < rhs.book }
}

/// Who a record belongs to, as the rosters and the receipt name them: the ID number (upper
/// case) and the 7-digit Minguo birth date. Never printed unmasked.
struct PersonKey: Hashable, Sendable, Comparable {
  var idNumber: String
  var birth: String

  init(idNumber: String, birth: String) {
    self.idNumber = idNumber.trimmingCharacters(in: .whitespaces).uppercased()
    let trimmed = birth.trimmingCharacters(in: .whitespaces)
    self.birth = SchoolDates.minguo(trimmed) ?? trimmed
  }

  var masked: String { PrivateData.maskIDNumber(idNumber) }

  static func < (lhs: PersonKey, rhs: PersonKey) -> Bool { (lhs.idNumber, lhs.birth) < (rhs.idNumber, rhs.birth) }
}

/// One record of a roster sheet, as submitted or as received: its columns after the key.
struct SheetRecord: Sendable, Equatable {
  var person: PersonKey
  /// The sheet's name as the rosters write it (a receipt's `幹部經歷` is `幹部經歷紀錄`).
  var sheet: String
  var values: [String: String]
}

/// Sheet names and identities (docs/receipts.md §3).
enum ReceiptSheets {
  /// A receipt's sheet name as the rosters write it.
  static func canonical(_ name: String) -> String {
    let name = name.precomposedStringWithCanonicalMapping.trimmingCharacters(in: .whitespaces)
    return name == "幹部經歷" ? RosterLayout.cadresSheet : name
  }

  static let linkColumns: Set<String> = ["課程學習成果文件檔案連結", "課程學習成果影音檔案連結", "證明文件連結", "影音檔案連結"]

  /// The file names of a link cell (`{package}#files/{item}/1.pdf;…` → `1.pdf;…`).
  static func fileNames(_ link: String) -> String {
    link.split(separator: ";").map { part in
      String(part.split(whereSeparator: { $0 == "/" || $0 == "#" }).last ?? part)
    }.joined(separator: ";")
  }

  /// The columns that say which record this is, in the order the identity is written.
  static func identityColumns(sheet: String) -> [String] {
    if sheet.hasSuffix("課程學習成果") { return ["課程代碼", "實際修課學年度", "實際修課學期", "課程學習成果文件檔案連結", "課程學習成果影音檔案連結"] }
    if sheet == RosterLayout.gradesSheet || sheet.hasSuffix("成績") { return ["課程代碼"] }
    if sheet.hasPrefix("幹部經歷") { return ["單位名稱", "擔任職務", "開始日期"] }
    guard let layout = RosterLayout.performances.first(where: { $0.sheet == sheet }) else { return [] }
    let columns = layout.columns.map(\.0)
    let name = layout.columns.first { $0.1 == .title }?.0
    let date = ["開始日期", "日期", "結果公布日期", "取得證照日期"].first { columns.contains($0) }
    return [name, date].compactMap { $0 } + (name == nil ? ["證明文件連結"] : [])
  }

  /// The identity of a record: its identity columns' values (file names for links), NFC.
  static func identity(of record: SheetRecord) -> String {
    let columns = identityColumns(sheet: record.sheet)
    let values = columns.map { column -> String in
      let value = ReceiptValues.normalized(record.values[column] ?? "")
      return linkColumns.contains(column) ? fileNames(value) : value
    }
    // The outcome sheets name one file: the document's, else the media's.
    if record.sheet.hasSuffix("課程學習成果"), values.count == 5 {
      return (values[0..<3] + [values[3].isEmpty ? values[4] : values[3]]).joined(separator: " | ")
    }
    return values.joined(separator: " | ")
  }
}

enum ReceiptValues {
  /// Text as compared: NFC, surrounding white space removed.
  static func normalized(_ value: String) -> String {
    value.precomposedStringWithCanonicalMapping.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// Whether two values say the same: equal text after NFC, or equal decimal numbers
  /// (`2` and `2.0`; a spreadsheet and a JSON writer format numbers differently).
  static func same(_ submitted: String, _ received: String) -> Bool {
    let (a, b) = (normalized(submitted), normalized(received))
    if a == b { return true }
    if a.uppercased() == b.uppercased(), a.count == 32, a.allSatisfy(\.isHexDigit) { return true }  // MD5 hex case
    guard isDecimal(a), isDecimal(b), let x = Decimal(string: a), let y = Decimal(string: b) else { return false }
    return x == y
  }

  /// `-?[0-9]+(.[0-9]+)?` — nothing else is read as a number (`2023-09-01` is no number).
  static func isDecimal(_ text: String) -> Bool {
    text.range(of: #"^-?[0-9]+(\.[0-9]+)?$"#, options: .regularExpression) != nil
  }
}
