import Foundation
import Synchronization

/// `report.json`: every finding and every file, with counts.
public struct ValidationReport: Codable, Sendable {
  public var generator: String
  public var drop: String
  public var schoolCode: String?
  public var policyTable: String
  public var summary: Summary
  public var findings: [Finding]
  public var files: FileRecords
  /// What happened to the ledger this run (a recovery and what may be missing); absent when nothing did.
  public var ledger: [String]?

  public struct Summary: Codable, Sendable, Equatable {
    public var students: Int
    public var items: Int
    public var itemsAccepted: Int
    public var itemsRejected: Int
    public var files: Int
    public var filesAccepted: Int
    public var filesRejected: Int
    public var bytes: Int64
    public var errors: Int
    public var warnings: Int
    public var findingsByCode: [String: Int]

    /// No student, no file, no finding: where counting starts.
    static let zero = Summary(
      students: 0, items: 0, itemsAccepted: 0, itemsRejected: 0, files: 0, filesAccepted: 0, filesRejected: 0,
      bytes: 0, errors: 0, warnings: 0, findingsByCode: [:])

    /// Counts `validation` (a whole run, or the next part of one) in.
    mutating func add(_ validation: Validation) {
      for file in validation.files {  // one pass: each row is made once
        if file.verdict == .accepted { filesAccepted += 1 } else { filesRejected += 1 }
        bytes = bytes.addingSaturated(file.bytes)
        files += 1
      }
      for finding in validation.findings {
        switch finding.severity {
        case .error: errors += 1
        case .warning: warnings += 1
        }
        findingsByCode[finding.code.rawValue, default: 0] += 1
      }
      let accepted = validation.acceptedItemCount
      students += validation.scan.roster.students.count
      items += validation.scan.items.count
      itemsAccepted += accepted
      itemsRejected += validation.scan.items.count - accepted
    }
  }

  public init(_ validation: Validation) {
    generator = "portfolio \(PortfolioVersion.current)"
    drop = validation.scan.drop
    schoolCode = validation.scan.school?.schoolCode
    policyTable = validation.table.fingerprint
    findings = validation.findings
    files = validation.files
    ledger = validation.ledgerNotes.isEmpty ? nil : validation.ledgerNotes
    summary = .zero
    summary.add(validation)
  }

  /// Writes `report.json` and `rejections.csv` into `folder` (each atomically), the two
  /// encoded and written at the same time; the first error (report.json's first) is thrown.
  public func write(to folder: String) throws {
    let errors = Mutex<[Int: any Error]>([:])
    DispatchQueue.concurrentPerform(iterations: 2) { part in
      do {
        if part == 0 {
          try writeJSON(to: folder + "/report.json")
        } else {
          try writeRejections(to: folder + "/rejections.csv")
        }
      } catch {
        errors.withLock { $0[part] = error }
      }
    }
    if let error = errors.withLock({ $0[0] ?? $0[1] }) { throw error }
  }

  /// report.json through `JSONEncoder`: what `json()` must equal byte for byte (tests).
  func jsonThroughEncoder() throws -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return Array(try encoder.encode(self)) + [0x0A]
  }

  /// `rejections.csv`: one row per finding, UTF-8 with a BOM so Excel shows Chinese correctly.
  public func rejectionsCSV() throws -> [UInt8] {
    [0xEF, 0xBB, 0xBF] + (try rows(findings.indices, header: true)) + [0x0D, 0x0A]
  }

  /// rejections.csv written a few thousand rows at a time: the same bytes as `rejectionsCSV()`,
  /// never the whole school's in memory.
  public func writeRejections(to path: String) throws {
    let chunk = 4096
    try AtomicFile.stream(to: path) { sink in
      try sink.write([0xEF, 0xBB, 0xBF])
      try sink.write(try rows(0..<min(chunk, findings.count), header: true))
      for start in stride(from: chunk, to: findings.count, by: chunk) {
        try sink.write([0x0D, 0x0A])
        try sink.write(try rows(start..<min(start + chunk, findings.count), header: false))
      }
      try sink.write([0x0D, 0x0A])
    }
  }

  /// The CSV rows of `range` of the findings (the header first when asked), without a final
  /// line break.
  func rows(_ range: Range<Int>, header: Bool) throws -> [UInt8] {
    Self.rows(findings[range], header: header)
  }

  /// The CSV rows of `findings` (the header first when asked), without a final line break.
  static func rows(_ findings: some Collection<Finding>, header: Bool) -> [UInt8] {
    var csv = CSVRows(newline: .crlf, capacity: findings.count * 400)
    if header {
      csv.append(["studentNumber", "itemId", "file", "code", "severity", "message_zh", "message_en"])
    }
    for finding in findings {
      csv.append(
        [
          finding.studentNumber ?? "", finding.itemId ?? "", finding.file ?? "", finding.code.rawValue,
          finding.severity.rawValue, finding.messageZH, finding.messageEN,
        ].map(spreadsheetSafe))
    }
    return csv.bytes
  }

  /// Student-supplied text starting with `= + - @` would run as a formula in Excel: prefix it.
  static func spreadsheetSafe(_ value: String) -> String {
    guard let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return value }
    return "'" + value
  }

  /// The one-screen terminal summary.
  public func terminalSummary(outputFolder: String) -> String {
    Self.terminalSummary(summary, drop: drop, schoolCode: schoolCode, outputFolder: outputFolder)
  }

  /// The one-screen terminal summary of report.json's counts.
  public static func terminalSummary(_ summary: Summary, drop: String, schoolCode: String?, outputFolder: String)
    -> String
  {
    var lines: [String] = []
    lines.append("portfolio validate — \(drop)\(schoolCode.map { " (school \($0))" } ?? "")")
    lines.append("  items  \(summary.items): accepted \(summary.itemsAccepted), rejected \(summary.itemsRejected)")
    lines.append(
      "  files  \(summary.files): accepted \(summary.filesAccepted), rejected \(summary.filesRejected), \(ByteCount.text(summary.bytes))"
    )
    lines.append("  findings: errors \(summary.errors), warnings \(summary.warnings)")
    for (code, count) in summary.findingsByCode.sorted(by: { ($0.value, $1.key) > ($1.value, $0.key) }) {
      let severity = Finding.Code(rawValue: code)?.defaultSeverity == .warning ? "warning" : "error"
      lines.append(
        "    \(String(repeating: " ", count: max(0, 4 - String(count).count)))\(count)  \(code) (\(severity))")
    }
    lines.append("  report: \(outputFolder)/report.json   rejections: \(outputFolder)/rejections.csv")
    return lines.joined(separator: "\n")
  }
}
