import Foundation

/// report.json and rejections.csv of a run validated a part at a time (`PartedValidation`):
/// each part's files and findings are written as the part comes, its counts added up, and the
/// two files renamed into place by `finish` — the same bytes `ValidationReport` writes for the
/// whole run at once, without ever holding the whole run.
///
/// report.json lists the files before the findings: the findings wait, already in their JSON
/// form, in a file without a name in the output folder (like the findings' words) and are
/// copied after the last file.
final class ReportStream {
  private let json: OpenOutput
  private let csv: OpenOutput
  private var head = PrettyJSON(capacity: PrettyJSON.spillAt + 64 * 1024)
  private var findings = PrettyJSON(capacity: PrettyJSON.spillAt + 64 * 1024)
  private let scratch: TextSpool
  private let generator: String
  private let policyTable: String
  private let schoolCode: String?
  private var counts = ValidationReport.Summary.zero

  /// Starts both files in `folder` (under temporary names) for the run over `drop`.
  init(folder: String, drop: String, schoolCode: String?, table: PolicyTable) throws {
    json = try OpenOutput(path: folder + "/report.json")
    csv = try OpenOutput(path: folder + "/rejections.csv")
    scratch = try TextSpool(folder: folder)
    generator = "portfolio \(PortfolioVersion.current)"
    (policyTable, self.schoolCode) = (table.fingerprint, schoolCode)
    head.spill = json.sink
    ValidationReport.begin(drop: drop, into: &head)
    head.beginArray()
    // The findings' writer stands where report.json's findings array opens; only its elements
    // are kept.
    findings.beginObject()
    findings.key("findings")
    findings.beginArray()
    findings.discard()
    findings.spill = scratch
    try csv.sink.write([0xEF, 0xBB, 0xBF] + ValidationReport.rows([], header: true))
  }

  /// Writes the files and findings of the next part (parts come in student order).
  func add(_ part: Validation) throws {
    for file in part.files {
      head.element()
      ValidationReport.write(file, into: &head)
    }
    for finding in part.findings {
      findings.element()
      ValidationReport.write(finding, into: &findings)
    }
    let chunk = 4096
    for start in stride(from: 0, to: part.findings.count, by: chunk) {
      let rows = part.findings[start..<min(start + chunk, part.findings.count)]
      try csv.sink.write([0x0D, 0x0A] + ValidationReport.rows(rows, header: false))
    }
    counts.add(part)
    if let failure = head.spillFailure ?? findings.spillFailure { throw failure }
  }

  /// Closes both files and renames them into place; returns the run's counts.
  @discardableResult
  func finish(ledgerNotes: [String]) throws -> ValidationReport.Summary {
    head.endArray()
    head.key("findings")
    head.raw([UInt8(ascii: "[")])
    head.flush()
    findings.flush()
    if let failure = head.spillFailure ?? findings.spillFailure { throw failure }
    try scratch.copyAll(to: json.sink)
    findings.endArray()
    head.raw(findings.bytes)
    ValidationReport.end(
      generator: generator, ledger: ledgerNotes.isEmpty ? nil : ledgerNotes, policyTable: policyTable,
      schoolCode: schoolCode, counts, into: &head)
    head.raw([0x0A])
    head.flush()
    if let failure = head.spillFailure { throw failure }
    try csv.sink.write([0x0D, 0x0A])
    try json.commit()
    try csv.commit()
    return counts
  }
}
