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

  /// Reads `name` in `drop`; problems become findings. Returns `nil` when the table cannot be
  /// used at all (absent, unreadable, not UTF-8, a required column missing).
  static func read(
    drop: String, name: String, required: [String], optional: Bool = false,
    findings: inout [Finding]
  ) -> CSVTable? {
    let place = FindingPlace(file: name)
    let bytes: [UInt8]
    switch FileSystem.readSmallFile(drop + "/" + name, maxBytes: maxBytes) {
    case .success(let read): bytes = read
    case .failure(.open(.system(let error))) where error.isMissing:
      if !optional {
        findings.append(
          .badMetadata(
            place, zh: "學校尚未提供 \(name)，請聯絡學校資訊組。",
            en: "\(name) is missing from the drop directory; it is required.",
            details: ["reason": "missing"]))
      }
      return nil
    case .failure(.open(.system(let error))):
      findings.append(.unreadable(place, error: error))
      return nil
    case .failure(.open(.notRegular(let kind))):
      findings.append(.notARegularFile(place, kind: kind))
      return nil
    case .failure(.tooLarge(let size)):
      findings.append(
        .badMetadata(
          place, zh: "\(name) 檔案過大，無法讀取，請聯絡學校資訊組。",
          en: "\(name) has \(size) bytes, over the \(maxBytes)-byte cap for a CSV file.",
          details: ["bytes": String(size)]))
      return nil
    }
    var body = bytes[...]
    if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
    guard let text = String(validating: body, as: UTF8.self) else {
      findings.append(
        .badMetadata(
          place, zh: "\(name) 不是 UTF-8 編碼，請聯絡學校資訊組。",
          en: "\(name) is not UTF-8 (Big5 from Excel?). Save it as \"CSV UTF-8\" and rerun.",
          details: ["reason": "not UTF-8"]))
      return nil
    }
    let reader: CSVReader
    do {
      reader = try CSVReader(string: text, hasHeaderRow: true)
    } catch {
      findings.append(
        .badMetadata(
          place, zh: "\(name) 格式錯誤，請聯絡學校資訊組。",
          en: "\(name) could not be parsed as CSV: \(error).", details: ["reason": "\(error)"]))
      return nil
    }
    let header = (reader.headerRow ?? []).map { $0.trimmedSpaces }
    let absent = required.filter { !header.contains($0) }
    if !absent.isEmpty {
      for column in absent {
        findings.append(
          .badMetadata(
            place, zh: "\(name) 缺少必要欄位「\(column)」，請聯絡學校資訊組。",
            en: "\(name) has no column \"\(column)\" (required). Columns found: \(header.joined(separator: ", ")).",
            details: ["column": column]))
      }
      return nil
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
      findings.append(
        .badMetadata(
          place, zh: "\(name) 第 \(number) 列之後格式錯誤，請聯絡學校資訊組。",
          en: "\(name) stops parsing after row \(number): \(error).", details: ["row": String(number)]))
    }
    return CSVTable(file: name, rows: rows)
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
