/// What earlier runs established (from the ledger): inspections by path and identity, and
/// the content teachers certified.
public struct ValidationMemory: Sendable {
  /// What the ledger remembers of each file: the version inspected and the verdict and codes
  /// recorded (the ledger rewrites a row only when the file was read again or its verdict
  /// changed). Found through `remembered(_:)`.
  private var versions: [(stamp: FileStamp, verdictKey: String)] = []
  /// What was found in each file, by the same positions, until validation has taken them
  /// (`forgetInspections`): the ledger's record needs only the versions.
  private var inspections: [InspectedFile] = []
  /// The position in `versions` by the path's hash (a dictionary of the values themselves kept
  /// room for a third more than a school's files, each 240 bytes, and a string per path).
  /// Two paths of one hash share a slot: the later one is not remembered (read again), and a
  /// path that finds another's entry finds a different file version (`stamp` differs: read
  /// again) or the same file under a second link (same content: the same inspection).
  private var positions: [Int: Int32] = [:]

  /// What the ledger remembers of the file at `path`.
  public func remembered(_ path: String) -> RememberedFile? {
    guard let position = positions[path.hashValue].map(Int.init) else { return nil }
    return RememberedFile(
      stamp: versions[position].stamp, verdictKey: versions[position].verdictKey,
      inspected: position < inspections.count ? inspections[position] : nil)
  }

  /// How many files the ledger remembers.
  public var rememberedCount: Int { versions.count }

  /// Lets go of the remembered inspections (validation has copied what it uses) and keeps the
  /// versions and verdicts the ledger's record compares with: 152 bytes a file less while the
  /// students are judged and the run recorded.
  public mutating func forgetInspections() { inspections = [] }

  /// Each certified file → the content certified (set through `remember`, which indexes it
  /// once: linear in the certified files, however many there are).
  public private(set) var certified: [FileKey: CertifiedContent] = [:]
  /// libmagic's words and the recorded verdicts, one string each: a school shares a few hundred.
  private var texts = Interned<String>()

  /// One file as the ledger remembers it (the inspection as JSON, decoded whole, cost about
  /// 1 KB a file; it is kept compact, libmagic's words and the verdict keys interned).
  public struct RememberedFile: Sendable {
    /// The version of the file inspected (`stat`'s identity).
    let stamp: FileStamp
    /// The verdict and the finding codes recorded (`Ledger.verdictKey`).
    let verdictKey: String
    let inspected: InspectedFile?
    public var identity: String { stamp.text }
    /// What was found in the file; `nil` once the memory has forgotten it (`forgetInspections`).
    public var inspection: FileInspection? { inspected?.inspection }
  }

  /// Remembers what the ledger recorded of the file at `path`.
  public mutating func remember(path: String, identity: String, inspection: FileInspection, verdictKey: String) {
    var inspection = inspection
    inspection.mime = texts.intern(inspection.mime)
    inspection.magicDescription = texts.intern(inspection.magicDescription)
    guard positions[path.hashValue] == nil else { return }
    positions[path.hashValue] = Int32(versions.count)
    versions.append((FileStamp(identity), texts.intern(verdictKey)))
    inspections.append(InspectedFile(item: -1, file: -1, inspection))
  }

  /// Student and SHA-256 → the certified files of that content, in item and file order.
  private var certifiedBySHA: [String: [CertifiedContent]] = [:]

  public struct CertifiedContent: Sendable, Equatable {
    public var studentNumber: String
    public var itemId: String
    public var fileName: String
    public var sha256: String
    public var teacherId: String?
    public var at: String?

    public init(
      studentNumber: String, itemId: String, fileName: String, sha256: String, teacherId: String?, at: String?
    ) {
      self.studentNumber = studentNumber
      self.itemId = itemId
      self.fileName = fileName
      self.sha256 = sha256
      self.teacherId = teacherId
      self.at = at
    }

    public var key: FileKey {
      FileKey(item: ItemKey(studentNumber: studentNumber, itemId: itemId), fileName: fileName)
    }

    /// The order certified content is preferred in when several match.
    var order: String { "\(itemId)/\(fileName)" }
  }

  public init() {}

  /// Remembers every certified file of `contents` (a later one of the same key wins) and
  /// indexes them by student and content, in one pass.
  public mutating func remember(_ contents: [CertifiedContent]) {
    certified.reserveCapacity(certified.count + contents.count)
    for content in contents { certified[content.key] = content }
    certifiedBySHA = Self.index(certified)
  }

  /// The first certified file of `student` (by item and file name) with content `sha256`.
  func certifiedContent(of student: String, sha256: String) -> CertifiedContent? {
    certifiedBySHA["\(student) \(sha256)"]?.first
  }

  private static func index(_ certified: [FileKey: CertifiedContent]) -> [String: [CertifiedContent]] {
    Dictionary(grouping: certified.values) { "\($0.studentNumber) \($0.sha256)" }
      .mapValues { $0.sorted { $0.order < $1.order } }
  }
}
