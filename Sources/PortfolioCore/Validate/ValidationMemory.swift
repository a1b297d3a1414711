/// What earlier runs established (from the ledger): inspections by path and identity, and
/// the content teachers certified.
public struct ValidationMemory: Sendable {
  /// What the ledger remembers of each file: the version inspected, what was found (compact)
  /// and the verdict and codes recorded (the ledger rewrites a row only when the file was read
  /// again or its verdict changed). Found through `remembered(_:)`.
  private var files: [RememberedFile] = []
  /// The position in `files` by the path's hash (a dictionary of the values themselves kept
  /// room for a third more than a school's files, each 240 bytes, and a string per path).
  /// Two paths of one hash share a slot: the later one is not remembered (read again), and a
  /// path that finds another's entry finds a different file version (`stamp` differs: read
  /// again) or the same file under a second link (same content: the same inspection).
  private var positions: [Int: Int32] = [:]

  /// What the ledger remembers of the file at `path`.
  public func remembered(_ path: String) -> RememberedFile? { positions[path.hashValue].map { files[Int($0)] } }

  /// How many files the ledger remembers.
  public var rememberedCount: Int { files.count }
  /// Each certified file → the content certified (set through `remember`, which indexes it
  /// once: linear in the certified files, however many there are).
  public private(set) var certified: [FileKey: CertifiedContent] = [:]
  /// libmagic's words and the recorded verdicts, one string each: a school shares a few hundred.
  private var texts = Interned<String>()

  /// One file as the ledger remembers it, in as few bytes as a school's tens of thousands allow
  /// (the inspection as JSON, decoded whole, cost about 1 KB a file).
  public struct RememberedFile: Sendable {
    /// The version of the file inspected (`stat`'s identity).
    let stamp: FileStamp
    let inspected: InspectedFile
    /// The verdict and the finding codes recorded (`Ledger.verdictKey`).
    let verdictKey: String
    public var identity: String { stamp.text }
    public var inspection: FileInspection { inspected.inspection }
  }

  /// Remembers what the ledger recorded of the file at `path`.
  public mutating func remember(path: String, identity: String, inspection: FileInspection, verdictKey: String) {
    var inspection = inspection
    inspection.mime = texts.intern(inspection.mime)
    inspection.magicDescription = texts.intern(inspection.magicDescription)
    guard positions[path.hashValue] == nil else { return }
    positions[path.hashValue] = Int32(files.count)
    files.append(
      RememberedFile(
        stamp: FileStamp(identity), inspected: InspectedFile(item: -1, file: -1, inspection),
        verdictKey: texts.intern(verdictKey)))
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
