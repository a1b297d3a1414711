import Foundation

/// What `receipts` writes: a confirmation page per student, the discrepancy list for Excel and
/// a page for staff. ID numbers appear masked, never whole.
extension ReceiptCheck {
  public static let csvName = "receipt-discrepancies.csv"
  public static let reportName = "receipt-report.html"

  public struct Written: Sendable {
    public var pages: Int
    public var lines: [String]
  }

  /// Writes every output into `out` (each file complete or not at all).
  public func write(into out: String) throws -> Written {
    try AtomicFile.makeFolder(out)
    try AtomicFile.makeFolder(out + "/receipts")
    let pages = pages()
    for page in pages {
      let base = out + "/receipts/" + page.student.studentNumber
      try AtomicFile.write(Array(page.html.utf8), to: base + ".html")
      try AtomicFile.write(Array(page.text.utf8), to: base + ".txt")
    }
    try AtomicFile.write(try csv(), to: out + "/" + Self.csvName)
    try AtomicFile.write(Array(staffPage().utf8), to: out + "/" + Self.reportName)
    return Written(pages: pages.count, lines: summaryLines(pages: pages.count))
  }

  /// `receipt-discrepancies.csv`: one row per differing column, missing or unexpected record,
  /// unknown or absent student. UTF-8 with a BOM and CRLF, as Excel opens it.
  func csv() throws -> [UInt8] {
    var csv = CSVRows(newline: .crlf)
    csv.append([
      "studentNumber", "class", "name", "kind", "sheet", "status", "identity", "column", "submitted", "received",
    ])
    for row in discrepancyRows() { csv.append(row) }
    return [0xEF, 0xBB, 0xBF] + csv.bytes + [0x0D, 0x0A]
  }

  func discrepancyRows() -> [[String]] {
    func who(_ person: PersonKey) -> [String] {
      guard let student = students[person] else { return ["", "", ""] }
      return [student.studentNumber, student.className ?? "", student.name]
    }
    var rows: [(order: String, row: [String])] = []
    for outcome in reconciliation.outcomes where outcome.status != .received {
      let base =
        who(outcome.person) + [outcome.kind.rawValue, outcome.sheet, outcome.status.rawValue, outcome.identity]
      let order = students[outcome.person]?.studentNumber ?? "~" + outcome.person.masked
      switch outcome.status {
      case .different:
        for difference in outcome.differences {
          rows.append((order, base + [difference.column, difference.submitted, difference.received]))
        }
      default: rows.append((order, base + ["", "", ""]))
      }
    }
    for person in reconciliation.unknownPeople {
      rows.append(
        ("~" + person.masked, ["", "", "", "", "", ReceiptStatus.unknownStudent.rawValue, person.masked, "", "", ""]))
    }
    for person in reconciliation.absentPeople {
      rows.append(
        (
          students[person]?.studentNumber ?? "~" + person.masked,
          who(person) + ["", "", ReceiptStatus.studentAbsent.rawValue, person.masked, "", "", ""]
        ))
    }
    return rows.enumerated().sorted { ($0.element.order, $0.offset) < ($1.element.order, $1.offset) }.map(\.element.row)
  }

  /// The console summary.
  func summaryLines(pages: Int) -> [String] {
    let r = reconciliation
    var lines = [
      "receipt \(receipt): \(documents.map(\.fileName).joined(separator: ", "))",
      "  records: \(r.count(.received)) received, \(r.count(.different)) different, \(r.count(.missing)) missing, "
        + "\(r.count(.unexpected)) unexpected; students: \(r.unknownPeople.count) unknown to the school, "
        + "\(r.absentPeople.count) submitted but absent",
      "  wrote \(Plural.count(pages, "confirmation page")) (receipts/), \(Self.csvName), \(Self.reportName)",
    ]
    for (sheet, columns) in r.extraColumns.sorted(by: { $0.key < $1.key }) {
      lines.append(
        "  columns the receipt adds to \(sheet) (kept on the pages, not compared): \(columns.joined(separator: ", "))")
    }
    for (sheet, columns) in r.uncompared.sorted(by: { $0.key < $1.key }) {
      lines.append("  columns of \(sheet) the receipt does not have (not compared): \(columns.joined(separator: ", "))")
    }
    if !r.kindsNotInReceipt.isEmpty {
      lines.append(
        "  submitted but not in this receipt (not compared): \(r.kindsNotInReceipt.map(\.rawValue).joined(separator: ", "))"
      )
    }
    if !ignored.isEmpty { lines.append("  ignored in the zip: \(ignored.joined(separator: ", "))") }
    lines.append(isClean ? "everything was received as submitted" : "the receipt differs from what was submitted")
    return lines
  }
}
