import Foundation

/// A file an item lists that exists as a regular, readable file.
public struct ScannedFile: Sendable, Equatable, Codable {
  /// The name as item.json gives it (what the student uploaded).
  public var name: String
  public var role: FileRole
  /// The item's folder with a slash, relative to the drop directory: one string shared by the
  /// files of an item (a path of their own cost every file an allocation, ~4 MB at 4,800 students).
  private var folder: String
  /// The name on disk when its bytes differ from `name` (a decomposed name matched by NFC).
  private var diskName: String?
  public var bytes: Int64
  public var mtime: Int64
  /// What `stat` says identifies this version of the file, kept as numbers.
  private(set) var stamp: FileStamp

  /// Path relative to the drop directory, with the name as it is on disk.
  public var relativePath: String {
    get { folder + (diskName ?? name) }
    set {
      let slash = newValue.utf8.lastIndex(of: UInt8(ascii: "/")).map { newValue.utf8.index(after: $0) }
      let cut = slash ?? newValue.startIndex
      folder = String(newValue[..<cut])
      let onDisk = String(newValue[cut...])
      diskName = onDisk.utf8.elementsEqual(name.utf8) ? nil : onDisk
    }
  }

  /// What `stat` says identifies this version of the file (inode, modification and change
  /// times in nanoseconds, size): equal identity means unchanged content for the ledger.
  public var identity: String {
    get { stamp.text }
    set { stamp = FileStamp(newValue) }
  }

  public init(name: String, role: FileRole, relativePath: String, bytes: Int64, mtime: Int64, identity: String) {
    self.init(
      name: name, role: role, relativePath: relativePath, bytes: bytes, mtime: mtime, stamp: FileStamp(identity))
  }

  init(name: String, role: FileRole, relativePath: String, bytes: Int64, mtime: Int64, stamp: FileStamp) {
    (self.name, self.role, self.folder, self.diskName) = (name, role, "", nil)
    (self.bytes, self.mtime, self.stamp) = (bytes, mtime, stamp)
    self.relativePath = relativePath
  }

  /// A file in `folder` (ending with a slash; pass the same string for every file of an item).
  init(name: String, role: FileRole, folder: String, diskName: String, bytes: Int64, mtime: Int64, stamp: FileStamp) {
    (self.name, self.role, self.folder) = (name, role, folder)
    self.diskName = diskName.utf8.elementsEqual(name.utf8) ? nil : diskName
    (self.bytes, self.mtime, self.stamp) = (bytes, mtime, stamp)
  }

  /// Gives this file `other`'s folder string when the two are the same folder (shared storage).
  mutating func shareFolder(with other: ScannedFile) {
    if folder.utf8.elementsEqual(other.folder.utf8) { folder = other.folder }
  }

  public static func == (a: ScannedFile, b: ScannedFile) -> Bool {
    a.name == b.name && a.role == b.role && a.relativePath == b.relativePath && a.bytes == b.bytes
      && a.mtime == b.mtime && a.stamp == b.stamp
  }

  enum CodingKeys: String, CodingKey {
    case name, role, relativePath, bytes, mtime
    case stamp = "identity"
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    self.init(
      name: try container.decode(String.self, forKey: .name), role: try container.decode(FileRole.self, forKey: .role),
      relativePath: try container.decode(String.self, forKey: .relativePath),
      bytes: try container.decode(Int64.self, forKey: .bytes), mtime: try container.decode(Int64.self, forKey: .mtime),
      stamp: try container.decode(FileStamp.self, forKey: .stamp))
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(name, forKey: .name)
    try container.encode(role, forKey: .role)
    try container.encode(relativePath, forKey: .relativePath)
    try container.encode(bytes, forKey: .bytes)
    try container.encode(mtime, forKey: .mtime)
    try container.encode(stamp, forKey: .stamp)
  }
}

/// A complete item (its `item.json` was present and readable).
public struct ScannedItem: Sendable, Codable {
  public var studentNumber: String
  /// The parsed item.json; `nil` when it was unusable (a `bad-metadata` finding says why).
  public var manifest: ItemManifest?
  /// The listed files that are present, regular and readable, in item.json order.
  public var files: [ScannedFile]
  /// The item folder's own name when the folder is `uploads/{studentNumber}/{name}` (a short
  /// name is kept without an allocation of its own), else the whole relative path.
  private var folderName: (inStudentFolder: Bool, name: String)

  /// The item's folder, relative to the drop directory.
  public var folder: String {
    get { folderName.inStudentFolder ? "uploads/\(studentNumber)/\(folderName.name)" : folderName.name }
    set {
      let prefix = "uploads/\(studentNumber)/"
      folderName =
        newValue.hasPrefix(prefix) && !newValue.utf8.dropFirst(prefix.utf8.count).contains(0x2F)  // no "/" after it
        ? (true, String(newValue.dropFirst(prefix.count))) : (false, newValue)
    }
  }

  public init(studentNumber: String, folder: String, manifest: ItemManifest?, files: [ScannedFile]) {
    (self.studentNumber, self.manifest, self.files) = (studentNumber, manifest, files)
    folderName = (false, folder)
    self.folder = folder
  }

  enum CodingKeys: String, CodingKey { case studentNumber, folder, manifest, files }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    self.init(
      studentNumber: try container.decode(String.self, forKey: .studentNumber),
      folder: try container.decode(String.self, forKey: .folder),
      manifest: try container.decodeIfPresent(ItemManifest.self, forKey: .manifest),
      files: try container.decode([ScannedFile].self, forKey: .files))
    for index in files.indices.dropFirst() { files[index].shareFolder(with: files[0]) }
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(studentNumber, forKey: .studentNumber)
    try container.encode(folder, forKey: .folder)
    try container.encodeIfPresent(manifest, forKey: .manifest)
    try container.encode(files, forKey: .files)
  }
}

/// What one pass over a drop directory found.
public struct DropScan: Sendable {
  public var drop: String
  public var school: SchoolSettings?
  public var roster: Roster
  public var items: [ScannedItem]
  /// Item folders without `item.json`: still uploading, skipped this run.
  public var pendingItems: [String]
  public var findings: [Finding]
  /// The school's upload windows, parsed once in its time zone.
  public var windows: [UploadWindowDates] = []
  /// The school's time zone (Asia/Taipei unless school.json names another).
  public var timeZone: TimeZone = SchoolSettings.defaultTimeZone
}

/// A JSON decoding failure in words: which field, and what is wrong with it.
struct JSONProblem: Sendable {
  let field: String
  let english: String

  init(field: String, english: String) {
    self.field = field
    self.english = english
  }

  init(_ error: any Error) {
    func path(_ keys: [any CodingKey]) -> String {
      keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        .replacingOccurrences(of: ".[", with: "[")
    }
    switch error {
    case DecodingError.keyNotFound(let key, let context):
      let name = path(context.codingPath + [key])
      self.init(field: name, english: "required field \"\(name)\" is missing")
    case DecodingError.typeMismatch(let type, let context):
      let name = path(context.codingPath)
      self.init(field: name, english: "field \"\(name)\" has the wrong type (expected \(type))")
    case DecodingError.valueNotFound(_, let context):
      let name = path(context.codingPath)
      self.init(field: name, english: "field \"\(name)\" is null")
    case DecodingError.dataCorrupted(let context) where context.codingPath.isEmpty:
      self.init(
        field: "JSON",
        english: "not valid JSON (\(context.underlyingError.map { "\($0)" } ?? context.debugDescription))")
    case DecodingError.dataCorrupted(let context):
      let name = path(context.codingPath)
      self.init(field: name, english: "field \"\(name)\" has a value that is not allowed")
    default:
      self.init(field: "JSON", english: "not valid JSON (\(error))")
    }
  }
}

extension DropScan {
  /// Keeps the students of `shard`: their roster rows and the findings on them. Findings on no
  /// student (school.json, a table's header, a folder name that is no student number) stay:
  /// every shard reports them, and the merge keeps one copy.
  mutating func keepOnly(_ shard: Shard) {
    roster.students = roster.students.filter { shard.contains($0.key) }
    roster.courses = roster.courses.filter { shard.contains($0.studentNumber) }
    roster.cadres = roster.cadres.filter { shard.contains($0.studentNumber) }
    items = items.filter { shard.contains($0.studentNumber) }
    findings = findings.filter { finding in finding.studentNumber.map(shard.contains) ?? true }
  }
}

/// The scan's items by key, without copying them: the positions in `DropScan.items` of the
/// usable items, sorted by key, found by binary search (a dictionary of keys cost 2.6 MB at
/// 4,800 students, item manifests copied into one tens of MB; these positions 4 bytes an item).
struct ItemIndex: Sendable {
  let items: [ScannedItem]
  /// Positions of the items with a manifest, by (student number, item id), then by position:
  /// of two items with the same key the first in the scan is found, as a dictionary kept it.
  let positions: [Int32]

  init(_ items: [ScannedItem]) {
    self.items = items
    var positions: [Int32] = []
    positions.reserveCapacity(items.count)
    for (index, item) in items.enumerated() where item.manifest != nil { positions.append(Int32(index)) }
    positions.sort { a, b in
      let (left, right) = (items[Int(a)], items[Int(b)])
      if left.studentNumber != right.studentNumber { return left.studentNumber < right.studentNumber }
      let (leftId, rightId) = (left.manifest?.itemId ?? "", right.manifest?.itemId ?? "")
      return leftId != rightId ? leftId < rightId : a < b
    }
    self.positions = positions
  }

  /// The position of the first usable item with `key`, if any.
  func position(of key: ItemKey) -> Int? {
    var (low, high) = (0, positions.count)
    while low < high {  // the first position whose item is not before `key`
      let middle = (low + high) / 2
      let item = items[Int(positions[middle])]
      let before =
        item.studentNumber != key.studentNumber
        ? item.studentNumber < key.studentNumber : (item.manifest?.itemId ?? "") < key.itemId
      if before { low = middle + 1 } else { high = middle }
    }
    guard low < positions.count else { return nil }
    let found = items[Int(positions[low])]
    return found.studentNumber == key.studentNumber && found.manifest?.itemId == key.itemId ? Int(positions[low]) : nil
  }

  /// The item.json of the usable item `key` names.
  subscript(key: ItemKey) -> ItemManifest? { position(of: key).flatMap { items[$0].manifest } }
}
