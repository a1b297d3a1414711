/// What earlier runs established (from the ledger): inspections by path and identity, and
/// the content teachers certified.
public struct ValidationMemory: Sendable {
  /// Relative path → the identity of the file version inspected and what was found.
  public var inspections: [String: (identity: String, inspection: FileInspection)] = [:]
  /// Each certified file → the content certified (set through `remember`, which indexes it
  /// once: linear in the certified files, however many there are).
  public private(set) var certified: [FileKey: CertifiedContent] = [:]
  /// Relative path → the verdict and finding codes recorded last time (the ledger rewrites a
  /// row only when the file was read again or its verdict changed).
  public var verdicts: [String: String] = [:]
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
