import ArgumentParser
import Foundation
import PortfolioCore

struct Scan: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Inventory a drop directory: students, items, files, and structural findings.",
    discussion: """
      Reads school.json, students.csv, courses.csv, cadres.csv and every complete item \
      (item.json present) under uploads/. Never follows a symbolic link, never opens a FIFO, \
      socket or device, never writes into the drop directory.
      """)

  @Argument(help: "The drop directory.", completion: .directory)
  var drop: String

  @Flag(help: "Print the inventory and findings as JSON.")
  var json = false

  func run() throws {
    let scan: DropScan
    do {
      scan = try DropScanner().scan(drop)
    } catch {
      printError("portfolio scan: \(error)")
      throw ExitCode(64)
    }
    if json {
      FileHandle.standardOutput.write(try ScanReport(scan).json())
      print()
    } else {
      print(ScanTable(scan).render())
    }
    if scan.findings.contains(where: { $0.severity == .error }) { throw ExitCode(1) }
  }
}

/// The terminal rendering of a scan: counts, then one block per finding.
struct ScanTable {
  let scan: DropScan

  init(_ scan: DropScan) { self.scan = scan }

  func render() -> String {
    let inventory = Inventory(scan)
    var lines: [String] = []
    let school = scan.school.map { "\($0.schoolCode) \($0.schoolName ?? "") (\($0.schoolType))" } ?? "unknown school"
    lines.append("Drop directory \(scan.drop) — \(school)")
    lines.append("")
    func row(_ label: String, _ value: String) { lines.append("  " + pad(label, 30) + value) }
    row("Students in students.csv", "\(inventory.studentsInRoster)")
    row("Students with items", "\(inventory.studentsWithItems)")
    row("Items (complete)", "\(inventory.items)")
    for kind in ItemKind.allCases {
      row("  \(kind.rawValue)", "\(inventory.itemsByKind[kind.rawValue] ?? 0)")
    }
    row("  unusable item.json", "\(inventory.itemsUnusable)")
    row("Items still uploading", "\(inventory.itemsStillUploading)")
    row("Files", "\(inventory.files)")
    row("Bytes", "\(ByteCount.text(inventory.bytes)) (\(inventory.bytes))")
    lines.append("")
    lines.append("Findings: errors \(inventory.errors), warnings \(inventory.warnings)")
    for finding in scan.findings {
      let severity = finding.severity == .error ? "ERROR  " : "warning"
      lines.append("  \(severity) \(finding.code.rawValue)  \(finding.file ?? finding.itemId ?? "")")
      lines.append("          \(finding.messageEN)")
      lines.append("          \(finding.messageZH)")
    }
    return lines.joined(separator: "\n")
  }

  private func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
  }
}
