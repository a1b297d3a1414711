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
        findings.append(BadMetadata.missingTable(place, name))
      }
      return nil
    case .failure(.open(.system(let error))):
      findings.append(Unreadable.finding(place, error: error))
      return nil
    case .failure(.open(.notRegular(let kind))):
      findings.append(NotARegularFile.finding(place, kind: kind))
      return nil
    case .failure(.tooLarge(let size)):
      findings.append(BadMetadata.tableTooLarge(place, name, bytes: Int64(size), cap: maxBytes))
      return nil
    }
    var body = bytes[...]
    if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
    guard let text = String(validating: body, as: UTF8.self) else {
      findings.append(BadMetadata.tableNotUTF8(place, name))
      return nil
    }
    let reader: CSVReader
    do {
      reader = try CSVReader(string: text, hasHeaderRow: true)
    } catch {
      findings.append(BadMetadata.tableUnparsable(place, name, error: "\(error)"))
      return nil
    }
    let header = (reader.headerRow ?? []).map { $0.trimmedSpaces }
    let absent = required.filter { !header.contains($0) }
    if !absent.isEmpty {
      for column in absent {
        findings.append(BadMetadata.missingColumn(place, name, column: column, header: header))
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
      findings.append(BadMetadata.tableStops(place, name, row: number, error: "\(error)"))
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
