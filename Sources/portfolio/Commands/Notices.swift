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
    do {
      let table = try PolicyTable.bundled()
      let validation = try Validator(table: table, options: ValidationOptions(isolation: .workers(of: table)))
        .validate(drop)
      let written = try NoticeWriter(validation: validation, date: Packager.generationDate()).write(into: out)
      print("notices: \(written.count) students → \(out)/")
    } catch {
      printError("portfolio notices: \(error)")
      throw ExitCode(64)
    }
  }
}
