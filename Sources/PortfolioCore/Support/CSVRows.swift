/// CSV rows (RFC 4180) made as UTF-8 bytes: a field is quoted when its bytes hold a quote, a
/// comma, CR or LF, and a quote inside is doubled; rows are joined by the newline, with none
/// after the last.
///
/// CSV.swift's writer decides with Foundation's search, which compares grapheme clusters: a
/// comma, quote or line break followed by a combining mark (`",\u{301}"` in a student's file
/// name) was not found, the field went out unquoted and the row's columns shifted or split. It
/// also wrote a byte per call (a nightly rerun of 4,800 students spent 14 % of its time there).
/// The library still reads the school's tables (`CSVTable`).
struct CSVRows {
  enum Newline {
    case crlf, lf
  }

  private(set) var bytes: [UInt8] = []
  private let newline: [UInt8]
  private var empty = true

  init(newline: Newline = .lf, capacity: Int = 0) {
    self.newline = newline == .crlf ? [0x0D, 0x0A] : [0x0A]
    bytes.reserveCapacity(capacity)
  }

  /// Appends one row (a row without fields adds nothing, as CSV.swift's writer did).
  mutating func append(_ fields: some Sequence<String>) {
    var first = true
    for field in fields {
      if first {
        if !empty { bytes += newline }
        empty = false
      } else {
        bytes.append(0x2C)
      }
      first = false
      Self.append(field, to: &bytes)
    }
  }

  static func append(_ field: String, to bytes: inout [UInt8]) {
    let utf8 = field.utf8
    guard utf8.contains(where: { $0 == 0x22 || $0 == 0x2C || $0 == 0x0D || $0 == 0x0A }) else {
      bytes.append(contentsOf: utf8)
      return
    }
    bytes.append(0x22)
    for byte in utf8 {
      bytes.append(byte)
      if byte == 0x22 { bytes.append(0x22) }
    }
    bytes.append(0x22)
  }
}
