/// The files of report.json, in its order. A validation keeps of each file only its compact
/// inspection (with its place in the scan), its verdict, the list of codes on it and its policy,
/// and makes each `FileRecord` when it is read: a school's tens of thousands of records (224
/// bytes each, before their strings) are never all in memory at once. A shard's result brings
/// its records whole; they are held as they came.
public struct FileRecords: RandomAccessCollection, Sendable, ExpressibleByArrayLiteral {
  /// What a validation keeps of one file besides its inspection.
  struct Outcome: Sendable {
    let verdict: Verdict
    /// Index into `codeLists`.
    let codes: Int32
    /// Index into `policies`.
    let policy: Int32
  }

  /// The records of one validation, made on demand.
  struct Judged: Sendable {
    /// The scan's items (the same storage as the validation's scan).
    let items: [ScannedItem]
    /// Each record's inspection, in record order.
    let inspected: [InspectedFile]
    let outcomes: [Outcome]
    /// Most files share one of a few lists of codes (none, or the same one or two).
    let codeLists: [[String]]
    let policies: [String]
  }

  private enum Storage: Sendable {
    case judged(Judged)
    case held([FileRecord])
  }
  private let storage: Storage

  init(_ judged: Judged) { storage = .judged(judged) }
  public init(_ records: [FileRecord]) { storage = .held(records) }
  public init(arrayLiteral records: FileRecord...) { storage = .held(records) }

  public var startIndex: Int { 0 }
  public var endIndex: Int {
    switch storage {
    case .judged(let judged): judged.outcomes.count
    case .held(let records): records.count
    }
  }

  public subscript(position: Int) -> FileRecord {
    switch storage {
    case .held(let records): return records[position]
    case .judged(let judged):
      let kept = judged.inspected[position]
      let outcome = judged.outcomes[position]
      let item = judged.items[Int(kept.item)]
      let file = item.files[Int(kept.file)]
      let figures = kept.figures
      return FileRecord(
        path: file.relativePath, studentNumber: item.studentNumber, itemId: item.manifest?.itemId ?? "",
        originalName: file.name, role: file.role, mime: kept.mime, bytes: kept.bytes, sha256: kept.sha256,
        md5: kept.md5, verdict: outcome.verdict, policy: judged.policies[Int(outcome.policy)], pages: figures.pages,
        width: figures.width, height: figures.height,
        durationSeconds: figures.durationSeconds.map { ($0 * 1000).rounded() / 1000 },
        findings: judged.codeLists[Int(outcome.codes)])
    }
  }

  /// The inspection behind record `position` with the version inspected (what the ledger
  /// records); `nil` for records a shard brought.
  func inspection(at position: Int) -> InspectedFile? {
    guard case .judged(let judged) = storage else { return nil }
    return judged.inspected[position]
  }
}

extension FileRecords: Codable {
  /// Coded as the array of records report.json and shard.json hold.
  public init(from decoder: any Decoder) throws { self.init(try [FileRecord](from: decoder)) }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.unkeyedContainer()
    for record in self { try container.encode(record) }
  }
}
