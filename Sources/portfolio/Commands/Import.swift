import ArgumentParser
import Foundation
import PortfolioCore

struct Import: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Check a transfer package from another school completely, then import it into a drop directory.",
    discussion: """
      Nothing is extracted before the whole package passes. Items become new item folders \
      (files first, item.json last, each through a temporary name) keeping certification, \
      certifier and time points, and recording the sending school and the package's SHA-256. \
      A refused package leaves the drop directory unchanged. Importing the same package twice \
      adds nothing the second time.
      """)

  @Argument(help: "The transfer package (.zip).", completion: .file(extensions: ["zip"]))
  var package: String

  @Option(help: "The receiving school's drop directory.", completion: .directory)
  var into: String

  @Option(name: .customLong("from-school"), help: "The sending school's code (must match the package).")
  var fromSchool: String

  func validate() throws {
    guard fromSchool.count == 6,
      fromSchool.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) })
    else {
      throw ValidationError("--from-school must be a 6-character school code (0-9, A-Z)")
    }
  }

  func run() throws {
    let result: ImportResult
    do {
      try PathCheck.zip(package, role: .package)
      let table = try PolicyTable.bundled()
      var importer = Importer(table: table, schema: try ManifestSchema.load())
      importer.isolation = .workers(of: table)
      result = try importer.importPackage(
        path: package, into: into, fromSchool: fromSchool, now: Packager.generationDate())
    } catch {
      throw stopped("import", error)
    }
    if !result.refusals.isEmpty {
      print("REFUSED \(result.package) — nothing was written to \(into)")
      for finding in result.refusals {
        print("  \(finding.code.rawValue): \(finding.messageEN)")
        print("      \(finding.messageZH)")
      }
      throw ExitCode(1)
    }
    print(
      "imported \(Plural.count(result.imported.count, "item")) from \(result.package) (SHA-256 \(result.sha256 ?? ""))")
    if let number = result.studentNumber, let sending = result.sendingNumber {
      print(
        number == sending
          ? "  as student \(number)" : "  as student \(number) (student \(sending) at the sending school \(fromSchool))"
      )
    }
    for item in result.imported { print("  + \(item)") }
    if !result.alreadyPresent.isEmpty {
      print("already present from an earlier import: \(result.alreadyPresent.joined(separator: " "))")
    }
  }
}
