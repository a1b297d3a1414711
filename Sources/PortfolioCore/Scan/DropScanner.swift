import Foundation
import Synchronization

/// A student's folder in `uploads/`: the student number it names, and its path in the drop.
struct StudentFolder: Sendable {
  let number: String
  let relative: String
}

/// Walks a drop directory exactly as the drop contract defines it. Only reads: never follows
/// a symbolic link, never opens anything but a regular file, never writes.
public struct DropScanner: Sendable {
  /// The largest `item.json` or `school.json` we read.
  public static let maxMetadataBytes = 1024 * 1024
  /// Workers walking student folders in parallel.
  public let jobs: Int
  /// Only the students of this shard (their folders, rows and findings); `nil` for all.
  public let shard: Shard?

  public init(jobs: Int = 2, shard: Shard? = nil) {
    self.jobs = max(1, jobs)
    self.shard = shard
  }

  /// Scans `drop`; a drop that is not usable at all (``DropPreflight``) stops with an
  /// ``EnvironmentError``. `basics` are what a caller's preflight already read.
  public func scan(_ drop: String, basics given: DropBasics? = nil) throws(EnvironmentError) -> DropScan {
    let basics: DropBasics
    if let given { basics = given } else { basics = try DropPreflight.check(drop) }
    var scan = DropScan(
      drop: drop, school: basics.school, roster: basics.roster, items: [], pendingItems: [],
      findings: basics.findings)
    (scan.timeZone, scan.windows) = (basics.timeZone, basics.windows)
    walkUploads(&scan)
    if let shard { scan.keepOnly(shard) }
    scan.findings.sort(by: Finding.reportOrder)
    return scan
  }

  /// Reads a small metadata file; a missing one is reported as missing (`bad-metadata`).
  private func readMetadata(
    _ name: String, in folder: FolderAt, listed: EntryKind?, place: FindingPlace, findings: inout [Finding]
  ) -> [UInt8]? {
    switch folder.readSmallFile(name, maxBytes: Self.maxMetadataBytes, listed: listed) {
    case .success(let bytes): return bytes
    case .failure(.open(.system(let error))) where error.isMissing:
      findings.append(
        BadMetadata.missingMetadata(place))
    case .failure(.open(.system(let error))):
      findings.append(Unreadable.finding(place, error: error))
    case .failure(.open(.notRegular(let kind))):
      findings.append(NotARegularFile.finding(place, kind: kind))
    case .failure(.tooLarge(let size)):
      findings.append(
        BadMetadata.metadataTooLarge(place, bytes: Int64(size), cap: Self.maxMetadataBytes))
    }
    return nil
  }

  // MARK: uploads/

  private func walkUploads(_ scan: inout DropScan) {
    let found = studentFolders(&scan)
    scanStudents(found[...], into: &scan)
  }

  /// The student folders of `uploads/` to scan, in listing order; what is wrong with the
  /// folder itself or an entry of it (a name that is no student number, a student the tables
  /// do not know) goes into `scan.findings`.
  func studentFolders(_ scan: inout DropScan) -> [StudentFolder] {
    let uploads = scan.drop + "/uploads"
    var found: [StudentFolder] = []
    for studentName in listing(uploads, relative: "uploads", scan: &scan) {
      // Another shard's student: not even looked at (a name that is no student number is
      // every shard's finding, like the drop's own files).
      if shard?.excludes(studentName) == true { continue }
      let relative = "uploads/" + studentName.display
      guard
        let number = checkedFolder(
          studentName, parent: FolderAt(fd: AT_FDCWD, path: uploads), relative: relative,
          isValid: Identifiers.isStudentNumber,
          what: ("學號資料夾", "student folder", "1–20 characters of 0-9 A-Z a-z _ -"),
          place: FindingPlace(file: relative), scan: &scan)
      else { continue }
      let place = FindingPlace(studentNumber: number, file: relative)
      if scan.roster.hasStudentList, scan.roster.students[number] == nil {
        scan.findings.append(UnknownStudent.finding(place))
        continue
      }
      found.append(StudentFolder(number: number, relative: relative))
    }
    return found
  }

  /// Scans the folders of `students` into `scan` (items, pending items, findings), in order.
  func scanStudents(_ students: ArraySlice<StudentFolder>, into scan: inout DropScan) {
    let uploads = scan.drop + "/uploads"
    // Students are independent: scan their folders on `jobs` lanes, then merge in order.
    let (lanes, ranges) = scanInLanes(Array(students), uploads: uploads, template: scan)
    // Exactly the room needed: a school's items are the largest thing a run keeps.
    scan.items.reserveCapacity(scan.items.count + lanes.reduce(0) { $0 + $1.items.count })
    for range in ranges {
      let lane = lanes[range.lane]
      scan.items += lane.items[range.items]
      scan.pendingItems += lane.pendingItems[range.pending]
      scan.findings += lane.findings[range.findings]
    }
  }

  /// Where one student's results are in their lane.
  private struct LaneRange {
    var lane = 0
    var items = 0..<0
    var pending = 0..<0
    var findings = 0..<0
  }

  /// Scans the students' folders on `jobs` lanes, each lane appending to one growing part (a
  /// few large arrays, given back whole once merged — a part per student left thousands of
  /// small freed arrays between the items kept, memory the process could not give back).
  private func scanInLanes(
    _ students: [StudentFolder], uploads: String, template scan: DropScan
  ) -> (lanes: [DropScan], ranges: [LaneRange]) {
    let template = DropScan(
      drop: scan.drop, school: nil, roster: scan.roster, items: [], pendingItems: [], findings: [])
    let laneCount = max(1, min(jobs, students.count))
    let next = Atomic<Int>(0)
    let lanes = Mutex<[DropScan]>(Array(repeating: template, count: laneCount))
    let ranges = Mutex<[LaneRange]>(Array(repeating: LaneRange(), count: students.count))
    DispatchQueue.concurrentPerform(iterations: laneCount) { lane in
      var part = template
      var mine: [(Int, LaneRange)] = []
      while true {
        let index = next.add(1, ordering: .relaxed).oldValue
        guard index < students.count else { break }
        let start = (part.items.count, part.pendingItems.count, part.findings.count)
        scanStudent(students[index].number, relative: students[index].relative, uploads: uploads, &part)
        mine.append(
          (
            index,
            LaneRange(
              lane: lane, items: start.0..<part.items.count, pending: start.1..<part.pendingItems.count,
              findings: start.2..<part.findings.count)
          ))
      }
      ranges.withLock { all in for (index, range) in mine { all[index] = range } }
      lanes.withLock { $0[lane] = part }
    }
    return (lanes.withLock { $0 }, ranges.withLock { $0 })
  }

  private func scanStudent(_ number: String, relative: String, uploads: String, _ scan: inout DropScan) {
    // The student's folder is opened once; its items and their files are looked at by name.
    let (folder, failure) = FolderAt.open(number, in: FolderAt(fd: AT_FDCWD, path: uploads))
    defer { folder.close() }
    for itemName in listing(folder, failure: failure, relative: relative, student: number, scan: &scan) {
      let itemRelative = relative + "/" + itemName.display
      guard
        let itemId = checkedFolder(
          itemName, parent: folder, relative: itemRelative, isValid: Identifiers.isItemId,
          what: ("作品資料夾", "item folder", "1–40 characters of 0-9 A-Z a-z . _ -"),
          place: FindingPlace(studentNumber: number, file: itemRelative), scan: &scan)
      else { continue }
      scanItem(student: number, itemId: itemId, in: folder, relative: itemRelative, &scan)
    }
  }

  /// The names in a folder; a folder that cannot be listed is an `unreadable` finding, on the
  /// student (`student`) whose folder it is, so that their notice says it was not checked.
  private func listing(_ path: String, relative: String, student: String? = nil, scan: inout DropScan)
    -> [DirectoryName]
  {
    listing(FolderAt(fd: AT_FDCWD, path: path), failure: nil, relative: relative, student: student, scan: &scan)
  }

  /// The names in `folder` (`failure`: why it could not be opened).
  private func listing(
    _ folder: FolderAt, failure: SystemError?, relative: String, student: String?, scan: inout DropScan
  ) -> [DirectoryName] {
    let names = failure.map { Result<[DirectoryName], SystemError>.failure($0) } ?? folder.names()
    switch names {
    case .success(let names): return names
    case .failure(let error):
      scan.findings.append(Unreadable.finding(FindingPlace(studentNumber: student, file: relative), error: error))
      return []
    }
  }

  /// Checks a folder name and kind; returns the name when the folder can be entered.
  private func checkedFolder(
    _ name: DirectoryName, parent: FolderAt, relative: String, isValid: (String) -> Bool,
    what: (zh: String, en: String, rule: String), place: @autoclosure () -> FindingPlace, scan: inout DropScan
  ) -> String? {
    guard let text = name.string else {
      scan.findings.append(InvalidText.invalidName(place()))
      return nil
    }
    // The listing's kind when the file system gives one; lstat otherwise.
    let kind: EntryKind
    if let listed = name.kind {
      kind = listed
    } else {
      guard case .success(let entry) = parent.entry(text) else { return nil }
      kind = entry.kind
    }
    switch kind {
    case .directory: break
    case .regularFile:
      scan.findings.append(
        BadMetadata.folderEntry(place(), name: text, relative: relative, what: what, isFile: true))
      return nil
    default:
      scan.findings.append(NotARegularFile.finding(place(), kind: kind))
      return nil
    }
    guard isValid(text) else {
      scan.findings.append(
        BadMetadata.folderEntry(place(), name: text, relative: relative, what: what, isFile: false))
      return nil
    }
    return text
  }

  // MARK: one item

  private func scanItem(
    student: String, itemId: String, in studentFolder: FolderAt, relative: String, _ scan: inout DropScan
  ) {
    let (folder, failure) = FolderAt.open(itemId, in: studentFolder)
    defer { folder.close() }
    let names = listing(folder, failure: failure, relative: relative, student: student, scan: &scan)
    // Made when a finding needs it (most items have none).
    var itemPlace: FindingPlace {
      FindingPlace(studentNumber: student, itemId: itemId, file: relative + "/item.json", shortName: "item.json")
    }
    let metadata = "item.json"
    guard let kind = metadataKind(metadata, in: folder, listed: failure == nil ? names : nil) else {
      scan.pendingItems.append(relative)  // still uploading: item.json is written last
      return
    }
    guard kind == .regularFile else {
      scan.findings.append(NotARegularFile.finding(itemPlace, kind: kind))
      return
    }
    var item = ScannedItem(studentNumber: student, folder: relative, manifest: nil, files: [])
    defer { scan.items.append(item) }
    guard let bytes = readMetadata(metadata, in: folder, listed: kind, place: itemPlace, findings: &scan.findings)
    else {
      return
    }
    // How the student can recognise an item whose item.json is unusable: its title if one can
    // be read, the files in its folder.
    func itemProblem(_ problem: JSONProblem) -> Finding {
      BadMetadata.itemJSON(
        itemPlace, field: problem.field, problem: problem.english,
        recognisedBy: BrokenItem.clues(itemJSON: bytes, names: names))
    }
    if let problem = StrictJSON.problem(in: bytes) {
      scan.findings.append(itemProblem(JSONProblem(field: problem.field, english: problem.english)))
      return
    }
    // Read straight from the bytes; whatever that reader does not take, JSONDecoder decides.
    let manifest: ItemManifest
    if let read = ItemJSONReader.manifest(bytes) {
      manifest = read
    } else {
      do {
        manifest = try JSONDecoder().decode(ItemManifest.self, from: Data(bytes))
      } catch {
        scan.findings.append(itemProblem(JSONProblem(error)))
        return
      }
    }
    let problems = Self.problems(of: manifest, folder: itemId)
    for problem in problems { scan.findings.append(itemProblem(problem)) }
    guard problems.isEmpty else { return }
    item.manifest = manifest

    matchFiles(manifest, names: names, item: &item, folder: folder, relative: relative, &scan)
  }

  /// The kind of the item's `name` (item.json): as its folder's listing (`listed`) gave it, by
  /// `lstat` when the listing gives no kind or could not be made; `nil` when it is not there.
  private func metadataKind(_ name: String, in folder: FolderAt, listed names: [DirectoryName]?) -> EntryKind? {
    if let names {
      guard let entry = names.first(where: { $0.bytes.elementsEqual(name.utf8) }) else { return nil }
      if let kind = entry.kind { return kind }
    }
    guard case .success(let entry) = folder.entry(name) else { return nil }
    return entry.kind
  }

  /// What makes a parsed item.json unusable: required fields, its id, its file list.
  static func problems(of manifest: ItemManifest, folder itemId: String) -> [JSONProblem] {
    var problems: [JSONProblem] = manifest.missingRequiredFields.map {
      JSONProblem(field: $0, english: "field \"\($0)\" is required for a \(manifest.kind.rawValue)")
    }
    if manifest.itemId != itemId {
      problems.append(
        JSONProblem(
          field: "itemId", english: "itemId \"\(manifest.itemId)\" differs from its folder name \"\(itemId)\""))
    }
    var seen = Set<String>()
    for file in manifest.files {
      if !Identifiers.isPlainFileName(file.name) {
        problems.append(JSONProblem(field: "files", english: "file name \"\(file.name)\" is not a plain file name"))
      } else if !seen.insert(file.name.nfc).inserted {
        problems.append(JSONProblem(field: "files", english: "file \"\(file.name)\" is listed twice"))
      }
    }
    if manifest.files.isEmpty && !(manifest.kind == .multiplePerformance && manifest.externalLink != nil) {
      problems.append(JSONProblem(field: "files", english: "the item lists no file (and no externalLink)"))
    }
    return problems
  }

  /// Matches listed names to the names on disk, records each listed file, and reports what is
  /// missing, not regular, unreadable or unlisted.
  private func matchFiles(
    _ manifest: ItemManifest, names: [DirectoryName], item: inout ScannedItem, folder: FolderAt, relative: String,
    _ scan: inout DropScan
  ) {
    let student = item.studentNumber
    let itemId = manifest.itemId
    // Match listed names to names on disk by NFC (a Mac or iPhone may upload decomposed names).
    var onDisk: [String: String] = [:]
    var listedOnDisk = Set<String>()
    for name in names { if let text = name.string { onDisk[text.nfc] = text } }
    let shared = relative + "/"  // one string for the item's files
    for file in manifest.files {
      let diskName = onDisk[file.name.nfc]
      // Made when a finding needs it (most files have none).
      var place: FindingPlace {
        FindingPlace(
          studentNumber: student, itemId: itemId, file: relative + "/" + (diskName ?? file.name), shortName: file.name)
      }
      guard let diskName else {
        scan.findings.append(MissingFile.finding(place))
        continue
      }
      listedOnDisk.insert(diskName)
      switch folder.statRegularFile(diskName) {
      case .failure(.notRegular(let kind)):
        scan.findings.append(NotARegularFile.finding(place, kind: kind))
      case .failure(.system(let error)) where error.isMissing:
        scan.findings.append(MissingFile.finding(place))
      case .failure(.system(let error)):
        scan.findings.append(Unreadable.finding(place, error: error))
      case .success(let found):
        item.files.append(
          ScannedFile(
            name: file.name, role: file.role, folder: shared, diskName: diskName, bytes: found.size,
            mtime: found.mtime, stamp: found.stamp))
      }
    }
    for name in names where !name.bytes.elementsEqual("item.json".utf8) {
      var place: FindingPlace {
        FindingPlace(
          studentNumber: student, itemId: itemId, file: relative + "/" + name.display, shortName: name.display)
      }
      guard let text = name.string else {
        scan.findings.append(InvalidText.invalidName(place))
        continue
      }
      if listedOnDisk.contains(text) { continue }
      guard case .success(let entry) = folder.entry(text) else { continue }
      if entry.kind == .regularFile {
        scan.findings.append(UnlistedFile.finding(place))
      } else {
        scan.findings.append(NotARegularFile.finding(place, kind: entry.kind))
      }
    }
  }

}
