import CSV

/// A CSV file of the drop directory, read with CSV.swift: UTF-8 with or without a BOM, a
/// header row, columns in any order, unknown columns ignored.
struct CSVTable {
  /// One data row: its number in the file (the header is row 1) and its fields by column.
  struct Row {
    let number: Int
    let fields: [String: String]

    subscript(column: String) -> String? {
      guard let value = fields[column]?.trimmedSpaces, !value.isEmpty else { return nil }
      return value
    }
  }

  let file: String
  let rows: [Row]

  /// The largest CSV we read: a big school's roster is a few megabytes.
  static let maxBytes = 64 * 1024 * 1024

  /// Reads `name` in `drop`. A table that cannot be used at all (unreadable, not UTF-8, not
  /// CSV, a required column missing) stops the run: an ``EnvironmentError`` naming the file, the
  /// line and the fix. Returns `nil` only for an `optional` table that is absent.
  static func read(
    drop: String, name: String, required: [String], optional: Bool = false
  ) throws(EnvironmentError) -> CSVTable? {
    let path = drop + "/" + name
    let bytes: [UInt8]
    switch FileSystem.readSmallFile(path, maxBytes: maxBytes) {
    case .success(let read): bytes = read
    case .failure(.open(.system(let error))) where error.isMissing:
      if optional { return nil }
      throw EnvironmentError(
        .tableMissing, path: path, en: "\(name) is missing; the drop contract requires it",
        zh: "找不到 \(name)。",
        fix:
          "Export \(name) from the school's system into the drop directory (a header row alone if it has no rows yet) and run again.",
        fixZH: "請從校務系統匯出 \(name) 放進交換資料夾（還沒有資料時只放標題列），再重新執行。")
    case .failure(let failure):
      throw DropPreflight.unreadable(path, failure, what: name, code: .tableUnreadable)
    }
    var body = bytes[...]
    if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
    guard let text = String(validating: body, as: UTF8.self) else {
      throw notUTF8(path, name: name, bytes: bytes)
    }
    if text.allSatisfy(\.isWhitespace) {
      throw malformed(path, name: name, line: 1, "the file is empty (not even a header row)")
    }
    let reader: CSVReader
    do {
      reader = try CSVReader(string: text, hasHeaderRow: true)
    } catch {
      throw malformed(path, name: name, line: 1, "it cannot be read as CSV (\(error))")
    }
    let header = (reader.headerRow ?? []).map { $0.trimmedSpaces }
    let absent = required.filter { !header.contains($0) }
    if !absent.isEmpty {
      throw malformed(
        path, name: name, line: 1,
        "the header has no column \(absent.joined(separator: ", ")) (required; columns found: \(header.joined(separator: ", ")))"
      )
    }
    var rows: [Row] = []
    var number = 1
    while let values = reader.next() {
      number += 1
      if values.allSatisfy({ $0.trimmedSpaces.isEmpty }) { continue }
      var fields: [String: String] = [:]
      for (column, value) in zip(header, values) where fields[column] == nil {
        fields[column] = value
      }
      rows.append(Row(number: number, fields: fields))
    }
    if let error = reader.error {
      throw malformed(
        path, name: name, line: nil,
        "it stops being CSV after row \(number) (\(error)); the rows after it would be lost")
    }
    return CSVTable(file: name, rows: rows)
  }

  /// A table Excel saved in another encoding: named, with its line and the exact fix.
  static func notUTF8(_ path: String, name: String, bytes: [UInt8]) -> EnvironmentError {
    let encoding = TextEncoding.guess(bytes)
    let looks = encoding == .unknown ? "it is not UTF-8" : "it is saved as \(encoding.name), not UTF-8"
    return EnvironmentError(
      .tableEncoding, path: path, line: TextEncoding.firstInvalidLine(bytes),
      en: "\(name) cannot be read: \(looks)",
      zh: "\(name) 不是 UTF-8 編碼\(encoding == .unknown ? "" : "（看起來是 \(encoding.name)）")，無法讀取。",
      fix: "In Excel: File → Save As → \"CSV UTF-8 (Comma delimited) (*.csv)\", then run again.",
      fixZH: "請在 Excel 另存新檔 → 存檔類型選「CSV UTF-8 (逗號分隔) (*.csv)」，再重新執行。")
  }

  static func malformed(_ path: String, name: String, line: Int?, _ problem: String) -> EnvironmentError {
    EnvironmentError(
      .tableMalformed, path: path, line: line, en: "\(name) cannot be used: \(problem)",
      zh: "\(name) 格式錯誤，無法使用。",
      fix: "Export it again from the school's system with the columns of docs/drop-contract.md and run again.",
      fixZH: "請依 docs/drop-contract.md 的欄位從校務系統重新匯出，再重新執行。")
  }
}

extension String {
  var trimmedSpaces: String {
    var view = Substring(self)
    while let first = view.first, first == " " || first == "\t" || first == "\r" { view.removeFirst() }
    while let last = view.last, last == " " || last == "\t" || last == "\r" { view.removeLast() }
    return String(view)
  }
}
