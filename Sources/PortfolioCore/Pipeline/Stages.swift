import Foundation
import Logging

/// `scan`: the inventory of the drop (scan.json).
struct ScanStage: PipelineStage {
  var readsOnly: Bool { true }
  var makes: [StageProduct] { [.scan] }

  func run(_ state: inout PipelineState) throws -> Logger.Metadata {
    // A run in parts scans each part as it validates it; the validate stage writes scan.json.
    if state.parts != nil { return [:] }
    let result = try DropScanner(shard: state.shard).scan(state.definition.drop, basics: state.basics)
    state.products.put(.scan, result)
    try AtomicFile.write(Array(try ScanReport(result).json()) + [0x0A], to: state.output + "/scan.json")
    let inventory = Inventory(result)
    state.outcome.lines.append(inventory.line)
    return ["items": "\(inventory.items)", "files": "\(inventory.files)"]
  }
}

/// `validate`: every rule, with the ledger's memory; report.json, rejections.csv, the ledger.
struct ValidateStage: PipelineStage {
  let jobs: Int
  var readsOnly: Bool { true }
  var makes: [StageProduct] { [.scan, .validation] }

  func run(_ state: inout PipelineState) throws -> Logger.Metadata {
    if let parts = state.parts { return try runInParts(&state, parts) }
    let ledger = state.ledger
    let current =
      try state.products.made(.scan)
      ?? DropScanner(jobs: jobs, shard: state.shard).scan(state.definition.drop, basics: state.basics)
    var memory = try ledger.memory()
    // The findings' words wait in a file without a name in the output folder, not in memory.
    let spool = try? TextSpool(folder: state.output)
    var validation = try Validator(
      table: state.table, options: ValidationOptions(jobs: jobs, isolation: state.isolation, spool: spool)
    )
    .validate(current, memory: &memory, progress: state.progress)
    validation.ledgerNotes = state.ledgerHealth.notes
    // A package an import stage refused is this run's finding too: report.json says why.
    if !state.importRefusals.isEmpty {
      validation.findings = (validation.findings + state.importRefusals).sorted(by: Finding.reportOrder)
    }
    try ledger.record(validation, at: ISO8601DateFormatter().string(from: state.date), memory: memory)
    HeapTrim.release()
    let report = ValidationReport(validation)
    if state.shard == nil {  // a shard's findings go into shard.json; the merge writes the reports
      try report.write(to: state.output)
    }
    state.products.put(.scan, validation.scan)
    state.products.put(.validation, validation)
    state.outcome.validation = validation
    (state.outcome.summary, state.outcome.filesRead) = (report.summary, validation.filesRead)
    if report.summary.errors > 0 { state.refused() }
    let summary = report.summary
    state.outcome.lines.append(Self.line(summary, filesRead: validation.filesRead))
    return [
      "files": "\(validation.files.count)", "filesRead": "\(validation.filesRead)",
      "bytesRead": "\(validation.bytesRead)",
      "errors": "\(summary.errors)", "warnings": "\(summary.warnings)",
    ]
  }
}

extension ValidateStage {
  /// The stage's line: files (read, unchanged), errors, warnings.
  static func line(_ summary: ValidationReport.Summary, filesRead: Int) -> String {
    "validate: \(Plural.count(summary.files, "file")) (\(filesRead) read, \(summary.files - filesRead) unchanged), "
      + "\(Plural.count(summary.errors, "error")), \(Plural.count(summary.warnings, "warning"))"
  }
}

/// `notices`: one notice per student with findings.
struct NoticesStage: PipelineStage {
  var readsOnly: Bool { true }
  var needs: [StageProduct] { [.validation] }
  var makes: [StageProduct] { [.notices] }

  func run(_ state: inout PipelineState) throws -> Logger.Metadata {
    if let shard = state.shard {
      state.outcome.lines.append("notices: shard \(shard) leaves them to the merge")
      return [:]
    }
    if let parts = state.parts, let notices = parts.notices {  // written part by part: renamed into place now
      let written = try notices.finish()
      state.products.put(.notices, written)
      state.outcome.lines.append("notices: \(Plural.count(written.count, "student")) → \(state.output)/notices/")
      return ["notices": "\(written.count)"]
    }
    let validation = try state.products.needed(.validation, by: "notices")
    let written = try NoticeWriter(validation: validation, date: state.date).write(into: state.output + "/notices")
    state.products.put(.notices, written)
    state.outcome.lines.append("notices: \(Plural.count(written.count, "student")) → \(state.output)/notices/")
    return ["notices": "\(written.count)"]
  }
}

/// `report`: the staff report (report.html), linking to the notices.
struct ReportStage: PipelineStage {
  var readsOnly: Bool { true }
  var needs: [StageProduct] { [.validation] }

  func run(_ state: inout PipelineState) throws -> Logger.Metadata {
    if let parts = state.parts, let report = parts.report {  // counted part by part: written now
      try report.finish(
        to: state.output + "/report.html", ledgerNotes: state.ledgerHealth.notes, rosterLinks: state.rosterFiles,
        sections: [])
      state.outcome.lines.append("report: \(state.output)/report.html")
      return [:]
    }
    if let shard = state.shard {
      state.outcome.lines.append("report: shard \(shard) leaves it to the merge")
      return [:]
    }
    let validation = try state.products.needed(.validation, by: "report")
    // Only notices this run wrote are linked (a pipeline without a notices stage has none to link).
    let students = state.products.made(.notices) ?? []
    let links = Dictionary(students.map { ($0, "notices/\($0).html") }, uniquingKeysWith: { first, _ in first })
    var report = StaffReport(
      validation: validation, date: state.date, noticeLinks: links, rosterLinks: state.rosterFiles)
    report.sections = state.products.made(.receiptSection).map { [$0] } ?? []
    try report.write(to: state.output + "/report.html")
    state.outcome.lines.append("report: \(state.output)/report.html")
    return [:]
  }
}

/// `package` and `export`: central or transfer packages of every (or one) student.
struct PackageStage: PipelineStage {
  let kind: PackageManifest.Kind
  let year: Int?
  let student: String?
  let label: String
  var readsOnly: Bool { false }
  var needs: [StageProduct] { [.validation] }
  var makes: [StageProduct] {
    guard kind == .central, student == nil, let year else { return [] }
    return [.centralPackages(year: year)]
  }

  func run(_ state: inout PipelineState) throws -> Logger.Metadata {
    var packager = try Packager(
      validation: try state.products.needed(.validation, by: label), kind: kind,
      academicYear: kind == .central ? year : nil,
      generatedAt: state.date)
    packager.progress = state.progress.map { ProgressMeter(label: "packaging", unit: "students", enabled: $0.enabled) }
    let results = try packager.writeAll(into: state.output + "/packages", only: student)
    state.packageLists.append(results.map { PackageListing($0, kind: kind, academicYear: packager.academicYear) })
    if state.shard == nil {
      try AtomicFile.write(try PackageList.csv(state.packageLists.flatMap { $0 }), to: state.output + "/packages.csv")
    }
    if kind == .central, student == nil, let year {
      // The rosters list every student not refused: one with nothing selected still has grades.
      let built = Dictionary(
        results.filter { $0.path != nil || $0.noItems }.compactMap { result in
          result.built.map { (result.studentNumber, $0) }
        },
        uniquingKeysWith: { first, _ in first })
      state.products.put(.centralPackages(year: year), built)
    }
    let refused = results.filter { $0.path == nil && !$0.noItems }
    let empty = results.filter(\.noItems).map(\.studentNumber)
    if !refused.isEmpty { state.refused() }
    let written = results.count - refused.count - empty.count
    state.outcome.lines.append(
      "\(label): \(Plural.count(written, "package")) written, \(refused.count) refused")
    if !empty.isEmpty {
      state.outcome.lines.append(
        "  no accepted item selected for \(year ?? 0), no package: \(empty.joined(separator: " "))")
    }
    for result in refused {
      let reasons = result.refusals.map { "\($0.code.rawValue) — \($0.messageEN)" }.joined(separator: "; ")
      state.outcome.lines.append("  refused \(result.studentNumber): " + reasons)
      for name in result.removed { state.outcome.lines.append("  removed last run's \(name) (no package now)") }
    }
    return ["written": "\(written)", "refused": "\(refused.count)", "noItems": "\(empty.count)"]
  }
}

/// `roster`: the central database's Excel rosters (名冊) of one year, beside the packages. After a
/// central `package` stage of the same year it lists exactly the students packaged there.
struct RosterStage: PipelineStage {
  let year: Int
  let term: Int?
  var readsOnly: Bool { false }
  var needs: [StageProduct] { [.validation, .centralPackages(year: year)] }

  func run(_ state: inout PipelineState) throws -> Logger.Metadata {
    let writer = RosterWriter(
      validation: try state.products.needed(.validation, by: "roster"), academicYear: year, term: term,
      generatedAt: state.date)
    let packaged = try state.products.needed(.centralPackages(year: year), by: "roster")
    let output = try writer.write(into: state.output + "/rosters", packaged: packaged)
    if !output.leftOut.isEmpty { state.refused() }
    state.rosterFiles += output.paths.map { "rosters/" + ($0.split(separator: "/").last.map(String.init) ?? $0) }
    state.outcome.lines.append(
      "roster: \(Plural.count(output.paths.count, "workbook")) for \(year), \(Plural.count(output.students.count, "student"))"
        + " → \(state.output)/rosters/"
        + (output.leftOut.isEmpty ? "" : " (left out, package refused: \(output.leftOut.joined(separator: " ")))"))
    if !output.empty.isEmpty {
      state.outcome.lines.append("  not written, no rows: \(output.empty.joined(separator: " "))")
    }
    return ["workbooks": "\(output.paths.count)", "students": "\(output.students.count)"]
  }
}

/// `check`: every package in the output folder, as untrusted input.
struct CheckStage: PipelineStage {
  var readsOnly: Bool { false }

  func run(_ state: inout PipelineState) throws -> Logger.Metadata {
    let checker = PackageChecker(table: state.table, schema: try ManifestSchema.load())
    let folder = state.output + "/packages"
    let zips = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
      .filter { $0.hasSuffix(".zip") && !$0.hasPrefix(".") }.sorted()
    let failed = zips.map { checker.check(path: folder + "/" + $0) }.filter { !$0.passed }
    if !failed.isEmpty { state.refused() }
    state.outcome.lines.append("check: \(Plural.count(zips.count, "package")) checked, \(failed.count) failed")
    return ["packages": "\(zips.count)", "failed": "\(failed.count)"]
  }
}

/// `import`: a transfer package added to the drop (the one stage that writes there).
struct ImportStage: PipelineStage {
  let package: String
  let fromSchool: String
  var readsOnly: Bool { false }

  func run(_ state: inout PipelineState) throws -> Logger.Metadata {
    var importer = Importer(table: state.table, schema: try ManifestSchema.load())
    importer.isolation = state.isolation
    let result = try importer.importPackage(
      path: package, into: state.definition.drop, fromSchool: fromSchool, now: state.date)
    guard result.refusals.isEmpty else {
      state.refused()
      state.importRefusals += result.refusals
      state.outcome.lines.append("import: \(result.package) refused; nothing was added to the drop")
      state.outcome.lines += result.refusals.map { "  \($0.code.rawValue): \($0.messageEN)" }
      return [
        "imported": "0", "refused": "\(result.package)",
        "reasons": "\(result.refusals.map { "\($0.code.rawValue): \($0.messageEN)" }.joined(separator: "; "))",
      ]
    }
    state.outcome.lines.append(
      "import: \(Plural.count(result.imported.count, "item")) imported, \(result.alreadyPresent.count) already present")
    return ["imported": "\(result.imported.count)"]
  }
}
