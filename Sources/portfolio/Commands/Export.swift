import ArgumentParser
import Foundation
import PortfolioCore

struct Export: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Export a transfer student's package: all years, all accepted items, consultation records.",
    discussion:
      "Writes <out>/packages/{schoolCode}_transfer_{studentNumber}.zip, checked before it is renamed into place.")

  @OptionGroup var io: DropAndOutput
  var drop: String { io.drop }
  var out: String { io.out }

  @Option(help: "The student who leaves.")
  var student: String

  func validate() throws {
    if !Identifiers.isStudentNumber(student) { throw ValidationError("--student must be a student number") }
  }

  func run() throws {
    var rejected = false
    do {
      let workspace = try Workspace.open(drop: drop, out: out)
      defer { withExtendedLifetime(workspace) {} }
      let table = try PolicyTable.bundled()
      let validation = try Validator(table: table, options: ValidationOptions(isolation: .workers(of: table)))
        .validate(try DropScanner().scan(drop, basics: workspace.basics), progress: ProgressMeter(label: "validating"))
      guard validation.scan.roster.students[student] != nil else {
        printError("portfolio export: student \(student) is not in students.csv")
        throw ExitCode(64)
      }
      let packager = try Packager(
        validation: validation, kind: .transfer, academicYear: nil, generatedAt: Packager.generationDate())
      let outcome = try packager.writeAll(into: out + "/packages", only: student)[0]
      guard let path = outcome.path else {
        print("REFUSED: " + outcome.refusals.map { "\($0.code.rawValue): \($0.messageEN)" }.joined(separator: "\n  "))
        throw ExitCode(1)
      }
      print("wrote \(path) (\(Plural.count(outcome.items, "item")), \(Plural.count(outcome.files, "file")))")
      if !outcome.leftOut.isEmpty {
        print("left out (rejected by validation): \(outcome.leftOut.joined(separator: " "))")
      }
      if outcome.items == 0 { print("the package holds no item: every item of \(student) was rejected or none exists") }
      print("SHA-256 \(outcome.sha256 ?? "")")
      rejected = !outcome.leftOut.isEmpty || rejectedAnything(validation, student: student)
    } catch let exit as ExitCode {
      throw exit
    } catch {
      throw stopped("export", error)
    }
    if rejected { throw ExitCode(1) }
  }
}
