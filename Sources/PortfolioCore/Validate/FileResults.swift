/// What validation learns of each file, by position (`jobs[i]` is the i-th file of the scan):
/// its record for report.json, made as soon as its inspection comes, and what the ledger keeps
/// of that inspection. The inspection itself is not kept: the rules get it back from the two
/// (`inspection(_:)`), one student at a time.
struct FileResults: Sendable {
  let scan: DropScan
  let jobs: [(item: Int, file: Int)]
  let policies: PolicyCache
  /// Every file's record; a file without an inspection has `FileRecord.absent` (and no `kept`).
  private(set) var records: [FileRecord]
  private(set) var kept: [InspectedFile?]
  /// The files that could not be inspected, with why.
  private(set) var failures: [Int: InspectionFailure] = [:]
  /// libmagic's words and types, one string each: a school's files share a few hundred.
  private var texts = Interned<String>()

  init(scan: DropScan, jobs: [(item: Int, file: Int)], policies: PolicyCache) {
    (self.scan, self.jobs, self.policies) = (scan, jobs, policies)
    records = Array(repeating: .absent, count: jobs.count)
    kept = Array(repeating: nil, count: jobs.count)
  }

  /// Takes the answer for file `job`.
  mutating func put(_ job: Int, _ result: Result<FileInspection, InspectionFailure>) {
    let (itemIndex, position) = jobs[job]
    let item = scan.items[itemIndex]
    // A file of an item without a usable item.json has no record (its item is not judged).
    guard let manifest = item.manifest else { return }
    switch result {
    case .failure(let failure): failures[job] = failure
    case .success(var inspection):
      inspection.mime = texts.intern(inspection.mime)
      inspection.magicDescription = texts.intern(inspection.magicDescription)
      let file = item.files[position]
      let facts = inspection.facts
      records[job] = FileRecord(
        path: file.relativePath, studentNumber: item.studentNumber, itemId: manifest.itemId,
        originalName: file.name, role: file.role, mime: inspection.mime, bytes: inspection.bytes,
        sha256: inspection.sha256, md5: inspection.md5, verdict: .accepted,
        policy: policies.policy(for: PolicyYear(academicYear: manifest.academicYear, term: manifest.term ?? 1)).id,
        pages: facts?.pages, width: facts?.width, height: facts?.height,
        durationSeconds: facts?.durationSeconds.map { ($0 * 1000).rounded() / 1000 }, findings: [])
      kept[job] = InspectedFile(item: itemIndex, file: position, inspection)
    }
  }

  /// The inspection of file `job`, again; `nil` when it has none.
  func inspection(_ job: Int) -> FileInspection? {
    kept[job].map { $0.inspection(records[job]) }
  }

  /// The findings of the files that could not be inspected, in scan order.
  func failureFindings() -> [Finding] {
    failures.keys.sorted().map { job in
      let item = scan.items[jobs[job].item]
      let file = item.files[jobs[job].file]
      let place = FindingPlace(
        studentNumber: item.studentNumber, itemId: item.manifest?.itemId, file: file.relativePath,
        shortName: file.name)
      switch failures[job] {
      case .open(.notRegular(let kind)): return NotARegularFile.finding(place, kind: kind)
      case .open(.system(let error)): return Unreadable.finding(place, error: error)
      case .worker(let incident): return InspectionFailed.finding(place, incident: incident, bytes: file.bytes)
      case nil: preconditionFailure("a failure without a failure")
      }
    }
  }

  /// The records of report.json — each with its verdict and the codes on it and its item — and
  /// what the ledger keeps of the inspection behind each (one per path, the first), in scan
  /// order. Made in place: the school's records are never copied.
  consuming func finish(findings: [Finding]) -> ([FileRecord], [InspectedFile?]) {
    var byFile: [String: [Int]] = [:]
    var byItem: [ItemKey: [Int]] = [:]
    for (index, finding) in findings.enumerated() {
      if let file = finding.file { byFile[file, default: []].append(index) }
      if finding.itemId != nil && finding.file == nil || finding.file?.hasSuffix("/item.json") == true {
        byItem[ItemKey(studentNumber: finding.studentNumber ?? "", itemId: finding.itemId ?? ""), default: []]
          .append(index)
      }
    }
    var seen: Set<String> = []
    // Most files share one of a few lists of codes (none, or the same one or two): one array each.
    var codeLists = Interned<[String]>()
    var count = 0
    for job in records.indices where kept[job] != nil {
      var record = FileRecord.absent
      swap(&record, &records[job])
      let all =
        (byFile[record.path] ?? [])
        + (byItem[ItemKey(studentNumber: record.studentNumber, itemId: record.itemId)] ?? [])
      record.verdict = all.contains { findings[$0].severity == .error } ? .rejected : .accepted
      record.findings = codeLists.intern(Array(Set(all.map { findings[$0].code.rawValue })).sorted())
      if !seen.insert(record.path).inserted { kept[job] = nil }  // the ledger keeps one per path
      records[count] = record
      kept.swapAt(count, job)
      count += 1
    }
    records.removeLast(records.count - count)
    kept.removeLast(kept.count - count)
    return (records, kept)
  }
}

extension FileRecord {
  /// The record of no file: the place of a file that has none.
  static let absent = FileRecord(
    path: "", studentNumber: "", itemId: "", originalName: "", role: .document, mime: "", bytes: 0, sha256: "",
    md5: nil, verdict: .rejected, policy: "", pages: nil, width: nil, height: nil, durationSeconds: nil, findings: [])
}
