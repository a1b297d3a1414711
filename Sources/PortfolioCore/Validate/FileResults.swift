/// What validation learns of each file, by position (`jobs[i]` is the i-th file of the scan):
/// its inspection in a compact form (`InspectedFile`), kept as soon as it comes; the files
/// that could not be inspected, with why. The records of report.json are made from it once
/// every student is judged (`finish`).
struct FileResults: Sendable {
  let scan: DropScan
  let jobs: [(item: Int, file: Int)]
  /// Every file's inspection; `InspectedFile.missing` for a file without one (one array of the
  /// final element type: `finish` drops the few without and hands the rest on, no copy).
  private(set) var inspected: [InspectedFile]
  /// The files that could not be inspected, with why.
  private(set) var failures: [Int: InspectionFailure] = [:]
  /// libmagic's words and types, one string each: a school's files share a few hundred.
  private var texts = Interned<String>()

  init(scan: DropScan, jobs: [(item: Int, file: Int)]) {
    (self.scan, self.jobs) = (scan, jobs)
    inspected = Array(repeating: .missing, count: jobs.count)
  }

  /// Takes the answer for file `job`.
  mutating func put(_ job: Int, _ result: Result<FileInspection, InspectionFailure>) {
    let (item, position) = jobs[job]
    // A file of an item without a usable item.json has no record (its item is not judged).
    guard scan.items[item].manifest != nil else { return }
    switch result {
    case .failure(let failure): failures[job] = failure
    case .success(var inspection):
      inspection.mime = texts.intern(inspection.mime)
      inspection.magicDescription = texts.intern(inspection.magicDescription)
      inspected[job] = InspectedFile(item: item, file: position, inspection)
    }
  }

  /// Takes what the ledger kept of file `job`, as it is (compact already).
  mutating func put(_ job: Int, remembered: InspectedFile) {
    let (item, position) = jobs[job]
    guard scan.items[item].manifest != nil else { return }  // as `put(_:_:)`
    inspected[job] = remembered.placed(item: item, file: position)
  }

  /// The inspection of file `job`, again; `nil` when it has none.
  func inspection(_ job: Int) -> FileInspection? { inspected[job].isMissing ? nil : inspected[job].inspection }

  /// The findings of the files that could not be inspected, in scan order.
  func failureFindings() -> [Finding] {
    failures.sorted { $0.key < $1.key }.map { job, failure in
      let item = scan.items[jobs[job].item]
      let file = item.files[jobs[job].file]
      let place = FindingPlace(
        studentNumber: item.studentNumber, itemId: item.manifest?.itemId, file: file.relativePath,
        shortName: file.name)
      switch failure {
      case .open(.notRegular(let kind)): return NotARegularFile.finding(place, kind: kind)
      case .open(.system(let error)): return Unreadable.finding(place, error: error)
      case .worker(let incident): return InspectionFailed.finding(place, incident: incident, bytes: file.bytes)
      }
    }
  }

  /// The records of report.json — each with its verdict and the codes on it and its item — in
  /// scan order, kept as the inspections behind them (the array they arrived in, without the
  /// files that have none) with what each record adds: the records are made when they are read
  /// (`FileRecords`).
  consuming func finish(findings: [Finding], policies: PolicyCache) -> FileRecords {
    var byFile: [String: [Int]] = [:]
    var byItem: [ItemKey: [Int]] = [:]
    for (index, finding) in findings.enumerated() {
      if let file = finding.file { byFile[file, default: []].append(index) }
      if finding.itemId != nil && finding.file == nil || finding.file?.hasSuffix("/item.json") == true {
        byItem[ItemKey(studentNumber: finding.studentNumber ?? "", itemId: finding.itemId ?? ""), default: []]
          .append(index)
      }
    }
    // Compacted in place and in order: a second array of every inspection would double the
    // run's peak. (`put` keeps none for an item without a usable item.json.)
    var kept = 0
    var outcomes: [FileRecords.Outcome] = []
    outcomes.reserveCapacity(inspected.count)
    var codeLists = Numbered<[String]>()
    var policyIds = Numbered<String>()
    for index in inspected.indices {
      let inspection = inspected[index]
      guard !inspection.isMissing else { continue }
      let item = scan.items[Int(inspection.item)]
      guard let manifest = item.manifest else { continue }
      let file = item.files[Int(inspection.file)]
      let all =
        (byFile[file.relativePath] ?? [])
        + (byItem[ItemKey(studentNumber: item.studentNumber, itemId: manifest.itemId)] ?? [])
      let policy = policies.policy(for: PolicyYear(academicYear: manifest.academicYear, term: manifest.term ?? 1))
      outcomes.append(
        FileRecords.Outcome(
          verdict: all.contains { findings[$0].severity == .error } ? .rejected : .accepted,
          codes: Int32(codeLists.number(Array(Set(all.map { findings[$0].code.rawValue })).sorted())),
          policy: Int32(policyIds.number(policy.id))))
      inspected[kept] = inspection
      kept += 1
    }
    inspected.removeLast(inspected.count - kept)
    return FileRecords(
      FileRecords.Judged(
        items: scan.items, inspected: inspected, outcomes: outcomes, codeLists: codeLists.values,
        policies: policyIds.values))
  }
}
