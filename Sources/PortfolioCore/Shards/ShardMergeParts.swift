import Foundation

extension ShardMerge {
  /// report.json, rejections.csv, the notices and the staff report of the shards, a part of
  /// the school at a time: each part's items, file records and findings are taken from every
  /// shard (each in student order) and handed to the same writers a run in parts uses.
  func writeReports(_ files: [ShardFile], into out: String, stages: Set<String>, outcome: inout Outcome) throws {
    let parts = files.compactMap(\.head.validation)
    let notes = files.flatMap { file in
      (file.head.validation?.ledgerNotes ?? []).map { "shard \(file.head.shard): \($0)" }
    }
    let table = try PolicyTable.bundled()
    guard table.fingerprint == parts[0].policyTable else {
      throw MergeError.mismatch("policy table (\(parts[0].policyTable))", files[0].folder, "this program")
    }
    // The findings' words wait in a file without a name in the first shard's folder (the run's
    // own output; nothing shows there, nothing stays), not in memory.
    let spool = try? TextSpool(folder: folders[0])
    var items = files.map { ShardFile.Cursor<ScannedItem>($0, .items) { $0.items ?? [] } }
    var records = files.map { ShardFile.Cursor<FileRecord>($0, .files) { $0.files ?? [] } }
    var findings = files.map { file in
      ShardFile.Cursor<Finding>(file, .findings) { chunk in
        var found = chunk.findings ?? []
        if let spool { for index in found.indices { found[index].spool(into: spool) } }
        return found
      }
    }
    let dropLevel = try Self.dropLevel(&findings, files)
    let drop = files[0].head.drop
    let scan = try Self.scan(of: parts, drop: drop)
    let pending = parts.flatMap(\.pendingItems)
    let reports = try ReportStream(folder: out, drop: drop, schoolCode: parts[0].school?.schoolCode, table: table)
    let notices = stages.contains("notices") ? try NoticeParts(folder: out + "/notices", date: date) : nil
    let report = stages.contains("report") ? try StaffReportParts(folder: out, date: date, table: table) : nil
    let numbers = scan.roster.students.keys.sorted()
    for (range, _) in StudentRange.groups(ofSorted: numbers, size: PartedValidation.defaultSize) {
      // One run lists students in the byte order of their folder names; a student's own entries
      // keep their order (the sorts are stable).
      var part = scan.part(range)
      var (kept, found): ([FileRecord], [Finding]) = ([], range.holds(nil) ? dropLevel : [])
      for index in files.indices {
        part.items += try items[index].take { range.contains($0.studentNumber) }
        kept += try records[index].take { range.contains($0.studentNumber) }
        found += try findings[index].take { $0.studentNumber.map(range.contains) ?? false }
      }
      part.items.sort { $0.studentNumber < $1.studentNumber }
      kept.sort { $0.studentNumber < $1.studentNumber }
      found.sort(by: Finding.reportOrder)
      part.pendingItems = pending.filter { range.contains(String(Self.student(of: $0))) }
        .sorted { Self.student(of: $0) < Self.student(of: $1) }
      var validation = Validation(scan: part, files: FileRecords(kept), findings: found, table: table)
      validation.ledgerNotes = notes
      try reports.add(validation)
      let written = try notices?.add(validation) ?? []
      try report?.add(validation, noticeLinks: Dictionary(written.map { ($0, "notices/\($0).html") }) { a, _ in a })
    }
    // Every entry was taken by a part: a shard whose entries were out of student order would
    // leave some behind.
    for index in files.indices
    where try items[index].peek() != nil || records[index].peek() != nil || findings[index].peek() != nil {
      throw MergeError.unreadable(files[index].path, "its entries are not in student order")
    }
    let summary = try reports.finish(ledgerNotes: notes)
    outcome.lines.append(
      "report: \(Plural.count(summary.students, "student")), \(Plural.count(summary.files, "file")), "
        + "\(Plural.count(summary.errors, "error")), \(Plural.count(summary.warnings, "warning"))")
    if let notices {
      let written = try notices.finish()
      outcome.lines.append("notices: \(Plural.count(written.count, "student")) → \(out)/notices/")
    }
    if let report {
      try report.finish(to: out + "/report.html", ledgerNotes: notes, rosterLinks: [], sections: [])
      outcome.lines.append("report: \(out)/report.html")
    }
  }

  /// The findings on no student: the first of every shard, and the same in every shard.
  static func dropLevel(_ findings: inout [ShardFile.Cursor<Finding>], _ files: [ShardFile]) throws -> [Finding] {
    var dropLevel: [Finding] = []
    for index in findings.indices {
      let own = try findings[index].take { $0.studentNumber == nil }
      if index == 0 {
        dropLevel = own
      } else if try jsonOf(own) != jsonOf(dropLevel) {
        throw MergeError.mismatch(
          "findings on the drop's own files (school.json, the tables)", files[index].folder, files[0].folder)
      }
    }
    return dropLevel
  }

  /// The school as the shards saw it, without items: every shard's students, the upload windows.
  static func scan(of parts: [ShardResult.ValidationPart], drop: String) throws -> DropScan {
    var scan = DropScan(
      drop: drop, school: parts[0].school, roster: Roster(), items: [], pendingItems: [], findings: [])
    scan.roster.hasStudentList = parts[0].hasStudentList
    for part in parts {
      for student in part.students { scan.roster.students[student.studentNumber] = student.student }
    }
    if let school = parts[0].school {
      // Each shard checked school.json before it ran; its times parse.
      (scan.timeZone, scan.windows) = try DropPreflight.schoolTimes(school, path: drop + "/school.json")
    }
    return scan
  }
}
