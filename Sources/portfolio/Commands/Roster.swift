import ArgumentParser
import Foundation
import PortfolioCore

struct Roster: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Write the central database's Excel rosters (名冊) of one academic year.",
    discussion: """
      Books 2 (學生成績名冊) and 24 (校內幹部經歷名冊) per term, 25 (學生自填多元表現名冊) and \
      26 (學生課程學習成果名冊) with term 0, from the same validation and selection as \
      `package --kind central`: a student whose central package is refused is left out, and no \
      item the package leaves out is listed. File links name entries of the central packages \
      ({package}#{entry}) with each file's MD5.

      Workbooks go to <out>/rosters/{school}_{year}_{term}_{book}.xlsx, each written under a \
      temporary name and renamed. They carry ID numbers unmasked: keep them where only staff \
      can read them. SOURCE_DATE_EPOCH fixes their creation time: same input, same bytes.
      """)

  @OptionGroup var io: DropAndOutput
  var drop: String { io.drop }
  var out: String { io.out }

  @Option(help: "Academic year (民國), e.g. 112.")
  var year: Int

  @Option(help: "Only this term (1 or 2) for books 2 and 24; both when omitted.")
  var term: Int?

  @OptionGroup var workers: JobsOption
  var jobs: Int { workers.jobs }

  func validate() throws {
    if !AcademicYears.valid.contains(year) {
      throw ValidationError("--year must be a Minguo academic year \(AcademicYears.words)")
    }
    if let term, !(1...2).contains(term) { throw ValidationError("--term must be 1 or 2") }
  }

  func run() throws {
    let output: RosterWriter.Output
    let validation: Validation
    do {
      let workspace = try Workspace.open(drop: drop, out: out)
      defer { withExtendedLifetime(workspace) {} }
      let table = try PolicyTable.bundled()
      validation = try Validator(
        table: table, options: ValidationOptions(jobs: jobs, isolation: .workers(of: table))
      ).validate(
        try DropScanner(jobs: jobs).scan(drop, basics: workspace.basics), progress: ProgressMeter(label: "validating"))
      output = try RosterWriter(
        validation: validation, academicYear: year, term: term, generatedAt: Packager.generationDate()
      ).write(into: out + "/rosters")
    } catch {
      throw stopped("roster", error)
    }
    for path in output.paths { print("  wrote  \(path)") }
    print("rosters: \(Plural.count(output.paths.count, "workbook")), \(Plural.count(output.students.count, "student"))")
    if !output.empty.isEmpty {
      print("  not written, no rows (an empty roster must not be uploaded): \(output.empty.joined(separator: " "))")
    }
    if !output.leftOut.isEmpty {
      print("  left out (central package refused): \(output.leftOut.joined(separator: " ")) — see `portfolio package`")
    }
    if !output.leftOut.isEmpty || rejectedAnything(validation) { throw ExitCode(1) }
  }
}
