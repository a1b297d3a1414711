import ArgumentParser
import Foundation
import PortfolioCore

struct Notices: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Write a notice in Traditional Chinese for every student with findings (text and printable HTML).",
    discussion:
      "Validates the drop, then writes <out>/{studentNumber}.txt and .html. Names appear only in a student's own notice; ID numbers only masked."
  )

  @OptionGroup var io: DropAndOutput
  var drop: String { io.drop }
  var out: String { io.out }

  func run() throws {
    let validation: Validation
    do {
      let workspace = try Workspace.open(drop: drop, out: out)
      defer { withExtendedLifetime(workspace) {} }
      let table = try PolicyTable.bundled()
      validation = try Validator(table: table, options: ValidationOptions(isolation: .workers(of: table)))
        .validate(try DropScanner().scan(drop, basics: workspace.basics), progress: ProgressMeter(label: "validating"))
      let written = try NoticeWriter(validation: validation, date: Packager.generationDate()).write(into: out)
      print("notices: \(Plural.count(written.count, "student")) → \(out)/")
    } catch {
      throw stopped("notices", error)
    }
    if rejectedAnything(validation) { throw ExitCode(1) }
  }
}
