import ArgumentParser
import Foundation
import PortfolioCore

struct Receipts: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract:
      "Compare the central database's receipt (收訖明細) with the submitted rosters; a confirmation page per student.",
    discussion: """
      Reads the receipt zip as hostile input (bounded sizes, SHA.txt verified), compares it record by record with the \
      rosters in the presubmit output folder and writes <out>/receipts/{studentNumber}.html and .txt (收訖確認單), \
      <out>/receipt-discrepancies.csv and <out>/receipt-report.html. Exit 0 when everything was received as \
      submitted, 1 when anything differs, is missing or unexpected, 64 when the receipt cannot be used.
      """)

  @Argument(help: "The receipt zip from the central database.", completion: .file(extensions: ["zip"]))
  var receipt: String

  @Option(help: "The presubmit output folder whose rosters were uploaded (or its rosters/ folder).")
  var submitted: String

  @Option(help: "Output folder for the confirmation pages and the discrepancy list.")
  var out: String

  @Option(
    name: .customLong("password-file"),
    help: "A file whose first line is the receipt's password (- reads it from standard input).")
  var passwordFile: String?

  @Option(help: "The school's drop directory (default: the one the submitted run read).")
  var drop: String?

  func run() throws {
    let written: ReceiptCheck.Written
    let clean: Bool
    do {
      let password = try passwordFile.map { path throws(EnvironmentError) in try ReceiptPassword.read(from: path) }
      let check = try ReceiptCheck.prepare(receipt: receipt, submitted: submitted, drop: drop, password: password)
      try PathCheck.output(out, drop: check.drop)
      let lock = try OutputLock(folder: out)
      defer { withExtendedLifetime(lock) {} }
      written = try check.write(into: out)
      clean = check.isClean
    } catch {
      throw stopped("receipts", error)
    }
    for line in written.lines { print(line) }
    if !clean { throw ExitCode(1) }
  }
}
