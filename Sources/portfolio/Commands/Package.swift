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

      central: one academic year's basic data, course records and the selected items \
      (course outcomes certified passed), with a receipt (收訖明細) as .txt and .csv.

      transfer: the whole history of one or all students.

      Packages go to <out>/packages/, each written under a temporary name, checked, then renamed. \
      SOURCE_DATE_EPOCH fixes generatedAt and the zip timestamps: same input, same bytes.
      """)

  @OptionGroup var io: DropAndOutput
  var drop: String { io.drop }
  var out: String { io.out }

  @Option(help: "central or transfer.")
  var kind: PackageKindOption

  @Option(help: "Academic year (民國) of a central package.")
  var year: Int?

  @Option(help: "Only this student (transfer; central too).")
  var student: String?

  @OptionGroup var workers: JobsOption
  var jobs: Int { workers.jobs }
  @OptionGroup var sharding: ShardOption

  func validate() throws {
    if kind == .central && year == nil { throw ValidationError("--kind central needs --year, e.g. --year 112") }
    if let year, !AcademicYears.valid.contains(year) {
      throw ValidationError("--year must be a Minguo academic year \(AcademicYears.words)")
    }
    if let student, !Identifiers.isStudentNumber(student) {
      throw ValidationError("--student must be a student number")
    }
  }

  func run() throws {
    if let shard = sharding.parsed {
      var options = ["kind": kind.rawValue]
      if let year { options["year"] = String(year) }
      if let student { options["student"] = student }
      var definition = PipelineDefinition(
        name: "package", drop: drop, output: out,
        stages: [.init(name: .validate, options: ["jobs": String(jobs)]), .init(name: .package, options: options)])
      definition.shard = shard
      return try runPipeline(definition, command: "package")
    }
    let outcomes: [PackageOutcome]
    let validation: Validation
    do {
      let workspace = try Workspace.open(drop: drop, out: out)
      defer { withExtendedLifetime(workspace) {} }
      let table = try PolicyTable.bundled()
      validation = try Validator(
        table: table, options: ValidationOptions(jobs: jobs, isolation: .workers(of: table))
      ).validate(
        try DropScanner(jobs: jobs).scan(drop, basics: workspace.basics), progress: ProgressMeter(label: "validating"))
      if let student, validation.scan.roster.students[student] == nil {
        printError("portfolio package: student \(student) is not in students.csv")
        throw ExitCode(64)
      }
      var packager = try Packager(
        validation: validation, kind: kind == .central ? .central : .transfer,
        academicYear: kind == .central ? year : nil,
        generatedAt: Packager.generationDate())
      packager.jobs = jobs
      packager.progress = ProgressMeter(label: "packaging", unit: "students")
      outcomes = try packager.writeAll(into: out + "/packages", only: student)
      let listing = outcomes.map { PackageListing($0, kind: packager.kind, academicYear: packager.academicYear) }
      try AtomicFile.write(try PackageList.csv(listing), to: out + "/" + PackageList.fileName)
    } catch let exit as ExitCode {
      throw exit
    } catch {
      throw stopped("package", error)
    }
    printSummary(outcomes)
    let leftOut = outcomes.contains { !$0.leftOut.isEmpty }
    if outcomes.contains(where: { $0.path == nil && !$0.noItems }) || leftOut
      || rejectedAnything(validation, student: student)
    {
      throw ExitCode(1)
    }
  }

  /// One line per package for one student; for a school, the counts and then only what needs
  /// attention (refused students with their reasons) — every student is in packages.csv.
  func printSummary(_ outcomes: [PackageOutcome]) {
    let refused = outcomes.filter { $0.path == nil && !$0.noItems }
    let empty = outcomes.filter(\.noItems).map(\.studentNumber)
    let leftOut = outcomes.filter { $0.path != nil && !$0.leftOut.isEmpty }
    if student != nil {
      for outcome in outcomes where outcome.path != nil {
        let left = outcome.leftOut.isEmpty ? "" : "; left out (rejected): \(outcome.leftOut.joined(separator: " "))"
        print(
          "  wrote  \(outcome.path ?? "")  (\(Plural.count(outcome.items, "item")), \(Plural.count(outcome.files, "file"))\(left))"
        )
      }
    }
    print(
      "packages: \(outcomes.count - refused.count - empty.count) written, \(refused.count) refused → \(out)/packages/ "
        + "(every student: \(out)/\(PackageList.fileName))")
    if !empty.isEmpty {
      print("  no accepted item selected for \(year ?? 0), no package: \(empty.joined(separator: " "))")
    }
    if !leftOut.isEmpty, student == nil {
      print("  \(Plural.count(leftOut.count, "student")) with rejected items left out of the package (see report.json)")
    }
    for outcome in refused {
      print("  REFUSED student \(outcome.studentNumber):")
      for finding in outcome.refusals { print("      \(finding.code.rawValue): \(finding.messageEN)") }
      for name in outcome.removed { print("      removed last run's \(name) (this student has no package now)") }
    }
  }
}
