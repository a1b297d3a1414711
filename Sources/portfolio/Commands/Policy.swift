import ArgumentParser
import Foundation
import PortfolioCore

struct PolicyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "policy",
    abstract: "Print the file policy in force for an academic year and term (or the whole table).")

  @Option(help: "Academic year (民國), e.g. 112.")
  var year: Int?

  @Option(help: "Term, 1 or 2.")
  var term: Int = 1

  func validate() throws {
    if let year, !AcademicYears.valid.contains(year) {
      throw ValidationError(
        "--year must be a Minguo academic year \(AcademicYears.words) (the portfolio began in \(AcademicYears.valid.lowerBound); \(year) is not one)"
      )
    }
    if !(1...2).contains(term) { throw ValidationError("--term must be 1 or 2") }
  }

  func run() throws {
    let table = try PolicyTable.bundled()
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    if let year {
      let policy = table.policy(for: PolicyYear(academicYear: year, term: term))
      print("Policy in force for academic year \(year) term \(term): \(policy.id)")
      print(
        "  documents (pdf, jpg, png): up to \(policy.limits.document) bytes (\(policy.limits.document / 1_048_576) MiB)"
      )
      print("  media (mp3, mp4):          up to \(policy.limits.media) bytes (\(policy.limits.media / 1_048_576) MiB)")
      print(
        "  consultation documents:    up to \(policy.limits.consultationDocument) bytes (\(policy.limits.consultationDocument / 1_048_576) MiB)"
      )
      print("  limits are inclusive; source: \(policy.source)")
      let workers = table.workers.overridden()
      print(
        "  each upload is inspected in a worker process: at most \(workers.memoryBytes / 1_048_576) MiB and "
          + "\(workers.secondsPerFile) s per file (\(workers.secondsPerPackage) s per package)")
    } else {
      FileHandle.standardOutput.write(try encoder.encode(table))
      print()
    }
  }
}
