import ArgumentParser
import Foundation
import PortfolioCore

struct Validate: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Check every file and item by content and policy year; write report.json and rejections.csv.",
    discussion: """
      Reads each file once: libmagic on its first bytes, SHA-256, and its own structures
      (PDF, PNG, JPEG, MP4, MP3). Writes <out>/report.json and <out>/rejections.csv (UTF-8
      with BOM, opens in Excel) and prints a one-screen summary. Never writes into the drop.
      """)

  @Argument(help: "The drop directory.", completion: .directory)
  var drop: String

  @Option(help: "Folder for report.json and rejections.csv (created if needed; not inside the drop).")
  var out: String

  @Option(help: "Parallel workers reading files.")
  var jobs: Int = 2

  func validate() throws {
    guard jobs >= 1 && jobs <= 64 else { throw ValidationError("--jobs must be between 1 and 64") }
    if isInsideDrop(out, drop: drop) {
      throw ValidationError("--out must not be inside the drop directory: the pipeline never writes there")
    }
  }

  func run() throws {
    let validation: Validation
    do {
      let scan = try DropScanner(jobs: jobs).scan(drop)
      validation = try Validator(table: try PolicyTable.bundled(), options: ValidationOptions(jobs: jobs))
        .validate(scan, progress: ProgressMeter(label: "validating"))
    } catch {
      printError("portfolio validate: \(error)")
      throw ExitCode(64)
    }
    let report = ValidationReport(validation)
    do {
      try AtomicFile.makeFolder(out)
      try AtomicFile.write(try report.json(), to: out + "/report.json")
      try AtomicFile.write(try report.rejectionsCSV(), to: out + "/rejections.csv")
    } catch {
      printError("portfolio validate: cannot write the report: \(error)")
      throw ExitCode(64)
    }
    print(report.terminalSummary(outputFolder: out))
    if report.summary.errors > 0 { throw ExitCode(1) }
  }
}

struct PolicyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "policy", abstract: "Print the file policy in force for an academic year and term (or the whole table).")

  @Option(help: "Academic year (民國), e.g. 112.")
  var year: Int?

  @Option(help: "Term, 1 or 2.")
  var term: Int = 1

  func run() throws {
    let table = try PolicyTable.bundled()
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    if let year {
      let policy = table.policy(for: PolicyYear(academicYear: year, term: term))
      print("Policy in force for academic year \(year) term \(term): \(policy.id)")
      print("  documents (pdf, jpg, png): up to \(policy.limits.document) bytes (\(policy.limits.document / 1_048_576) MiB)")
      print("  media (mp3, mp4):          up to \(policy.limits.media) bytes (\(policy.limits.media / 1_048_576) MiB)")
      print("  consultation documents:    up to \(policy.limits.consultationDocument) bytes (\(policy.limits.consultationDocument / 1_048_576) MiB)")
      print("  limits are inclusive; source: \(policy.source)")
    } else {
      FileHandle.standardOutput.write(try encoder.encode(table))
      print()
    }
  }
}
