import ArgumentParser
import Foundation
import PortfolioCore

struct Check: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Verify packages against the central field specification (§3), as untrusted input.",
    discussion:
      "Nothing is extracted; one entry at a time is read, with every size capped. Exit 0 only when every package passes."
  )

  @Argument(help: "Package zip files.", completion: .file(extensions: ["zip"]))
  var packages: [String]

  @Flag(help: "Print the verdicts as JSON.")
  var json = false

  func validate() throws {
    if packages.isEmpty { throw ValidationError("give at least one package .zip") }
  }

  func run() throws {
    let checks: [PackageCheck]
    do {
      for package in packages { try PathCheck.zip(package, role: .package) }
      let table = try PolicyTable.bundled()
      let checker = PackageChecker(table: table, schema: try ManifestSchema.load())
      checks = checker.check(paths: packages.map { ($0, $0) }, isolation: .workers(of: table))
    } catch {
      throw stopped("check", error)
    }
    if json {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
      FileHandle.standardOutput.write(try encoder.encode(checks))
      print()
    } else {
      for check in checks {
        print("\(check.passed ? "PASS" : "FAIL")  \(check.package)")
        for finding in check.findings {
          print(
            "      \(finding.severity == .error ? "error  " : "warning") \(finding.code.rawValue): \(finding.messageEN)"
          )
          print("              \(finding.messageZH)")
        }
      }
      print("\(Plural.count(checks.count, "package")) checked, \(checks.count - checks.filter(\.passed).count) failed")
    }
    if checks.contains(where: { !$0.passed }) { throw ExitCode(1) }
  }
}
