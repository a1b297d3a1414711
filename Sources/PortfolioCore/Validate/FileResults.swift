/// What validation learns of each file, by position (`jobs[i]` is the i-th file of the scan):
/// its inspection in a compact form (`InspectedFile`), kept as soon as it comes; the files
/// that could not be inspected, with why. The records of report.json are made from it once
/// every student is judged (`finish`).
struct FileResults: Sendable {
  let scan: DropScan
  let jobs: [(item: Int, file: Int)]
  /// Every file's inspection; `nil` for a file without one.
  private(set) var inspected: [InspectedFile?]
  /// The files that could not be inspected, with why.
  private(set) var failures: [Int: InspectionFailure] = [:]
  /// libmagic's words and types, one string each: a school's files share a few hundred.
  private var texts = Interned<String>()

  init(scan: DropScan, jobs: [(item: Int, file: Int)]) {
    (self.scan, self.jobs) = (scan, jobs)
    inspected = Array(repeating: nil, count: jobs.count)
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

  /// The inspection of file `job`, again; `nil` when it has none.
  func inspection(_ job: Int) -> FileInspection? { inspected[job]?.inspection }

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

  /// The records of report.json — each with its verdict and the codes on it and its item — and
  /// what the ledger keeps of the inspection behind each (one per path, the first), in scan
  /// order; the inspections are compacted in place, never copied.
  consuming func finish(findings: [Finding], policies: PolicyCache) -> ([FileRecord], [InspectedFile?]) {
    var byFile: [String: [Int]] = [:]
    var byItem: [ItemKey: [Int]] = [:]
    for (index, finding) in findings.enumerated() {
      if let file = finding.file { byFile[file, default: []].append(index) }
      if finding.itemId != nil && finding.file == nil || finding.file?.hasSuffix("/item.json") == true {
        byItem[ItemKey(studentNumber: finding.studentNumber ?? "", itemId: finding.itemId ?? ""), default: []]
          .append(index)
      }
    }
    var records: [FileRecord] = []
    records.reserveCapacity(inspected.count { $0 != nil })
    var seen: Set<String> = []
    // Most files share one of a few lists of codes (none, or the same one or two): one array each.
    var codeLists = Interned<[String]>()
    for job in inspected.indices {
      guard let kept = inspected[job] else { continue }
      let item = scan.items[Int(kept.item)]
      guard let manifest = item.manifest else { continue }
      let file = item.files[Int(kept.file)]
      let all =
        (byFile[file.relativePath] ?? [])
        + (byItem[ItemKey(studentNumber: item.studentNumber, itemId: manifest.itemId)] ?? [])
      let facts = kept.facts
      records.append(
        FileRecord(
          path: file.relativePath, studentNumber: item.studentNumber, itemId: manifest.itemId,
          originalName: file.name, role: file.role, mime: kept.mime, bytes: kept.bytes, sha256: kept.sha256,
          md5: kept.md5, verdict: all.contains { findings[$0].severity == .error } ? .rejected : .accepted,
          policy: policies.policy(for: PolicyYear(academicYear: manifest.academicYear, term: manifest.term ?? 1)).id,
          pages: facts?.pages, width: facts?.width, height: facts?.height,
          durationSeconds: facts?.durationSeconds.map { ($0 * 1000).rounded() / 1000 },
          findings: codeLists.intern(Array(Set(all.map { findings[$0].code.rawValue })).sorted())))
      // The ledger keeps one inspection per path, the first; aligned with the records.
      let first = seen.insert(file.relativePath).inserted
      inspected.swapAt(records.count - 1, job)
      if !first { inspected[records.count - 1] = nil }
    }
    inspected.removeLast(inspected.count - records.count)
    return (records, inspected)
  }
}
