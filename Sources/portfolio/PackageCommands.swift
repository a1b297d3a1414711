import ArgumentParser
import Foundation
import PortfolioCore

enum PackageKindOption: String, ExpressibleByArgument, CaseIterable {
  case central, transfer
}

struct Package: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Write per-student central or transfer packages (manifest.xml + files, zip).",
    discussion: """
      Validates the drop first; a package holds only accepted items and never a rejected file.
      central: one academic year's basic data, course records and the selected items
      (course outcomes certified passed), with a receipt (收訖明細) as .txt and .csv.
      transfer: the whole history of one or all students.
      Packages go to <out>/packages/, each written under a temporary name, checked, then renamed.
      SOURCE_DATE_EPOCH fixes generatedAt and the zip timestamps: same input, same bytes.
      """)

  @Argument(help: "The drop directory.", completion: .directory)
  var drop: String

  @Option(help: "central or transfer.")
  var kind: PackageKindOption

  @Option(help: "Academic year (民國) of a central package.")
  var year: Int?

  @Option(help: "Only this student (transfer; central too).")
  var student: String?

  @Option(help: "Output folder; packages land in <out>/packages/.")
  var out: String

  @Option(help: "Parallel workers reading files.")
  var jobs: Int = 2

  func validate() throws {
    if kind == .central && year == nil { throw ValidationError("--kind central needs --year, e.g. --year 112") }
    if let year, !(108...199).contains(year) { throw ValidationError("--year must be a Minguo academic year from 108 to 199") }
    if let student, !Identifiers.isStudentNumber(student) { throw ValidationError("--student must be a student number") }
    if isInsideDrop(out, drop: drop) {
      throw ValidationError("--out must not be inside the drop directory: the pipeline never writes there")
    }
  }

  func run() throws {
    let outcomes: [PackageOutcome]
    do {
      let table = try PolicyTable.bundled()
      let validation = try Validator(table: table, options: ValidationOptions(jobs: jobs)).validate(drop)
      if let student, validation.scan.roster.students[student] == nil {
        printError("portfolio package: student \(student) is not in students.csv")
        throw ExitCode(64)
      }
      var packager = try Packager(
        validation: validation, kind: kind == .central ? .central : .transfer, academicYear: kind == .central ? year : nil,
        generatedAt: Packager.generationDate())
      packager.jobs = jobs
      outcomes = try packager.writeAll(into: out + "/packages", only: student)
    } catch let exit as ExitCode {
      throw exit
    } catch {
      printError("portfolio package: \(error)")
      throw ExitCode(64)
    }
    var refused = 0
    for outcome in outcomes {
      if let path = outcome.path {
        let left = outcome.leftOut.isEmpty ? "" : "; left out (rejected): \(outcome.leftOut.joined(separator: " "))"
        print("  wrote  \(path)  (\(outcome.items) items, \(outcome.files) files\(left))")
      } else {
        refused += 1
        print("  REFUSED student \(outcome.studentNumber):")
        for finding in outcome.refusals { print("      \(finding.code.rawValue): \(finding.messageEN)") }
      }
    }
    print("packages: \(outcomes.count - refused) written, \(refused) refused")
    if refused > 0 { throw ExitCode(1) }
  }
}

struct Check: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Verify packages against the central field specification (§3), as untrusted input.",
    discussion: "Nothing is extracted; one entry at a time is read, with every size capped. Exit 0 only when every package passes.")

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
      let checker = PackageChecker(table: try PolicyTable.bundled(), schema: try ManifestSchema.load())
      checks = packages.map { checker.check(path: $0, displayName: $0) }
    } catch {
      printError("portfolio check: \(error)")
      throw ExitCode(64)
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
          print("      \(finding.severity == .error ? "error  " : "warning") \(finding.code.rawValue): \(finding.messageEN)")
          print("              \(finding.messageZH)")
        }
      }
      print("\(checks.filter(\.passed).count) of \(checks.count) packages pass")
    }
    if checks.contains(where: { !$0.passed }) { throw ExitCode(1) }
  }
}
