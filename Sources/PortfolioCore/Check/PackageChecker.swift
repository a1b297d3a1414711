import Digest
import Foundation
import Magic
import XMLKit
import ZipKit

/// The verdict on one package.
public struct PackageCheck: Codable, Sendable {
  public var package: String
  /// SHA-256 of the zip file itself.
  public var sha256: String?
  public var passed: Bool { !findings.contains { $0.severity == .error } }
  public var findings: [Finding]

  enum CodingKeys: String, CodingKey { case package, sha256, passed, findings }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(package, forKey: .package)
    try container.encode(sha256, forKey: .sha256)
    try container.encode(passed, forKey: .passed)
    try container.encode(findings, forKey: .findings)
  }

  public init(package: String, sha256: String?, findings: [Finding]) {
    self.package = package
    self.sha256 = sha256
    self.findings = findings
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    package = try container.decode(String.self, forKey: .package)
    sha256 = try container.decodeIfPresent(String.self, forKey: .sha256)
    findings = try container.decode([Finding].self, forKey: .findings)
  }
}

/// Caps on untrusted packages (the field specification's defaults).
public struct PackageCaps: Sendable {
  public var maxEntries = 10_000
  /// No file entry larger than the largest limit of any policy, whatever its header claims.
  public var maxFileBytes: UInt64 = 10 * 1024 * 1024
  public var maxManifestBytes: UInt64 = 16 * 1024 * 1024
  /// The most a deflated entry may expand (XML compresses about 10:1).
  public var maxRatio: UInt64 = 200
  /// The most all entries together may hold once decompressed.
  public var maxTotalBytes: UInt64 = 4 * 1024 * 1024 * 1024
  public init() {}
}

/// Verifies a package against every rule of the field specification §3, independently of how
/// it was made. Reads the zip as untrusted input: nothing is extracted, one entry at a time is
/// held in memory, and every size is capped.
public struct PackageChecker {
  public let table: PolicyTable
  let schema: XMLSchema
  public var caps = PackageCaps()
  /// Read every file entry back (size, SHA-256, content, structure). Only the packager turns
  /// this off, for a zip it has just written from sources whose identity (`fstat`) did not
  /// change between validation and the end of writing; the zip's structure, names, manifest
  /// and sizes are still checked.
  public var verifyContent = true

  public init(table: PolicyTable, schema: XMLSchema) {
    self.table = table
    self.schema = schema
  }

  public func check(path: String, displayName: String? = nil) -> PackageCheck {
    checkAndRead(path: path, displayName: displayName).check
  }

  /// Checks the package and returns its manifest too (when it could be read).
  public func checkAndRead(path: String, displayName: String? = nil) -> (check: PackageCheck, manifest: PackageManifest?) {
    let name = displayName ?? String(path.split(separator: "/").last ?? Substring(path))
    var run = CheckRun(name: name, table: table, caps: caps)
    run.verifyContent = verifyContent
    let digest = run.hashWholeFile(path)
    run.check(path: path, schema: schema)
    return (PackageCheck(package: name, sha256: digest, findings: run.findings), run.manifest)
  }
}

/// One check of one package: the findings collected so far.
struct CheckRun {
  let name: String
  let table: PolicyTable
  let caps: PackageCaps
  var findings: [Finding] = []
  var manifest: PackageManifest?
  var verifyContent = true

  init(name: String, table: PolicyTable, caps: PackageCaps) {
    self.name = name
    self.table = table
    self.caps = caps
  }

  mutating func add(_ code: Finding.Code, entry: String? = nil, item: String? = nil, zh: String, en: String, details: [String: String] = [:], severity: Severity? = nil) {
    var all = details
    if let entry { all["entry"] = entry }
    findings.append(
      Finding(code, severity: severity, itemId: item, file: entry.map { "\(name):\($0)" } ?? name, zh: "封包「\(name)」：\(zh)",
              en: "\(name)\(entry.map { ": \($0)" } ?? ""): \(en)", details: all))
  }

  func hashWholeFile(_ path: String) -> String? {
    guard case .success(let opened) = FileSystem.openRegularFile(path), let hasher = try? SHA256Hasher() else { return nil }
    defer { close(opened.fd) }
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
    defer { buffer.deallocate() }
    while true {
      let got = read(opened.fd, buffer.baseAddress, buffer.count)
      if got < 0 && errno == EINTR { continue }
      if got <= 0 { break }
      hasher.update(UnsafeRawBufferPointer(rebasing: buffer[0..<got]))
    }
    return try? hasher.finish()
  }

  mutating func check(path: String, schema: XMLSchema) {
    guard checkLayout(path) else { return }
    let reader: ZipArchiveReader
    do {
      reader = try ZipArchiveReader(path: path)
    } catch {
      add(.corruptArchive, zh: "不是完整的 zip 檔（可能下載不完整或已損毀）。", en: "cannot be opened as a zip archive: \(error)")
      return
    }
    let entries: [ZipEntry]
    do {
      entries = try reader.entries()
    } catch {
      add(.corruptArchive, zh: "zip 目錄損毀。", en: "its central directory cannot be read: \(error)")
      return
    }
    guard entries.count <= caps.maxEntries else {
      add(.archiveBomb, zh: "項目數量異常（\(entries.count) 個），拒絕處理。", en: "\(entries.count) entries, over the cap of \(caps.maxEntries)",
          details: ["entries": String(entries.count)])
      return
    }
    let named = checkEntries(entries)
    guard let manifestEntry = named["manifest.xml"] else {
      // A manifest already refused (a bomb, encrypted) is not also "missing".
      if entries.contains(where: { $0.name == "manifest.xml" }) { return }
      add(.missingEntry, entry: "manifest.xml", zh: "缺少 manifest.xml。", en: "there is no manifest.xml")
      return
    }
    if manifestEntry.index != 0 {
      add(.corruptArchive, entry: "manifest.xml", zh: "manifest.xml 不是第一個項目。", en: "manifest.xml must be the first entry")
    }
    guard let manifest = readManifest(reader, manifestEntry, schema: schema) else { return }
    self.manifest = manifest
    checkManifest(manifest, entryNames: Array(named.keys))
    checkFiles(manifest, reader: reader, named: named)
  }

  /// Our own reading of the central directory, before libzip sees the archive: entry count,
  /// overlapping entries, local headers that disagree, names with NUL bytes, total size.
  mutating func checkLayout(_ path: String) -> Bool {
    let layout: ZipLayout
    do {
      layout = try ZipLayout.read(path: path, maxEntries: caps.maxEntries)
    } catch {
      switch error {
      case .tooManyEntries(let count):
        add(.archiveBomb, zh: "項目數量異常（\(count) 個），拒絕處理。", en: "\(count) entries, over the cap of \(caps.maxEntries)",
            details: ["entries": String(count)])
      case .overlapping:
        add(.archiveBomb, zh: "zip 內的項目互相重疊（壓縮炸彈的手法），拒絕處理。", en: error.description)
      case .headersDisagree, .truncated:
        add(.corruptArchive, zh: "不是完整或一致的 zip 檔（可能下載不完整或被竄改）。", en: error.description)
      }
      return false
    }
    var ok = true
    for entry in layout.entries where entry.name.contains(0) {
      add(.unsafeEntry, entry: DirectoryName(bytes: entry.name.map { $0 == 0 ? 0x3F : $0 }).display,
          zh: "含有不安全的項目名稱，拒絕處理。", en: "unsafe entry: NUL byte in the name", details: ["reason": "NUL byte in the name"])
      ok = false
    }
    let total = layout.entries.reduce(UInt64(0)) { $0 &+ min($1.uncompressedSize, UInt64.max / 2) }
    if total > caps.maxTotalBytes {
      add(.archiveBomb, zh: "解壓縮後的總大小異常，拒絕處理。", en: "entries declare \(total) bytes in all; the cap is \(caps.maxTotalBytes)")
      ok = false
    }
    return ok
  }

  /// Names, duplicates, kinds and declared sizes of every entry; returns the usable entries by name.
  mutating func checkEntries(_ entries: [ZipEntry]) -> [String: ZipEntry] {
    var named: [String: ZipEntry] = [:]
    var folded: [String: String] = [:]
    for entry in entries {
      let shown = DirectoryName(bytes: entry.rawName).display
      if let reason = Self.unsafeReason(entry) {
        add(.unsafeEntry, entry: shown, zh: "含有不安全的項目名稱，拒絕處理。", en: "unsafe entry: \(reason)", details: ["reason": reason])
        continue
      }
      let name = entry.name!
      if named[name] != nil {
        add(.duplicateEntry, entry: name, zh: "有重複的項目。", en: "the name appears more than once")
        continue
      }
      let key = name.precomposedStringWithCanonicalMapping.lowercased()
      if let other = folded[key] {
        add(.duplicateEntry, entry: name, zh: "有名稱相同（大小寫或 Unicode 正規化後）的項目。", en: "same name as \(other) after NFC and case folding")
        continue
      }
      folded[key] = name
      if entry.isEncrypted {
        add(.corruptArchive, entry: name, zh: "項目被加密，無法檢查。", en: "the entry is encrypted")
        continue
      }
      if !entry.isStored && !entry.isDeflated {
        add(.corruptArchive, entry: name, zh: "使用不支援的壓縮方式。", en: "unsupported compression method \(entry.compressionMethod)")
        continue
      }
      let cap = name == "manifest.xml" ? caps.maxManifestBytes : caps.maxFileBytes
      if entry.declaredSize > cap {
        add(.archiveBomb, entry: name, zh: "項目宣告的大小超過上限。", en: "declares \(entry.declaredSize) bytes; the cap is \(cap)",
            details: ["declared": String(entry.declaredSize), "cap": String(cap)])
        continue
      }
      if entry.isDeflated, entry.declaredSize > 1024 * 1024, entry.declaredSize / max(entry.compressedSize, 1) > caps.maxRatio {
        add(.archiveBomb, entry: name, zh: "項目的壓縮比異常，拒絕處理。",
            en: "compression ratio \(entry.declaredSize / max(entry.compressedSize, 1)):1 is over \(caps.maxRatio):1")
        continue
      }
      named[name] = entry
    }
    return named
  }

  /// Why an entry name or kind is unsafe, or `nil`.
  static func unsafeReason(_ entry: ZipEntry) -> String? {
    let raw = entry.rawName
    if raw.contains(0) { return "NUL byte in the name" }
    if raw.contains(UInt8(ascii: "\\")) { return "backslash in the name" }
    if raw.first == UInt8(ascii: "/") { return "absolute path" }
    if raw.count >= 2, raw[1] == UInt8(ascii: ":"), (raw[0] | 0x20) >= 0x61, (raw[0] | 0x20) <= 0x7A { return "drive letter" }
    guard let name = entry.name else { return "name is not valid UTF-8" }
    let parts = name.split(separator: "/", omittingEmptySubsequences: false)
    if parts.contains(where: { $0 == ".." || $0 == "." || $0.isEmpty }) { return "'..', '.' or an empty component" }
    if entry.isSymlink { return "symbolic link" }
    if entry.isDirectory { return "folder entry" }
    if name == "manifest.xml" { return nil }
    guard parts.count == 3, parts[0] == "files", Identifiers.isItemId(String(parts[1])),
      let dot = parts[2].firstIndex(of: "."),
      let ordinal = Int(parts[2][..<dot]), ordinal >= 1, !parts[2][..<dot].hasPrefix("0"),
      ["pdf", "jpg", "png", "mp3", "mp4"].contains(String(parts[2][parts[2].index(after: dot)...]))
    else { return "name outside files/{itemId}/{n}.{ext}" }
    return nil
  }

  mutating func readManifest(_ reader: ZipArchiveReader, _ entry: ZipEntry, schema: XMLSchema) -> PackageManifest? {
    let bytes: [UInt8]
    do {
      bytes = try reader.readAll(entry, maxBytes: caps.maxManifestBytes)
    } catch let error as ZipError {
      add(error.kind == .overLimit ? .archiveBomb : .corruptArchive, entry: "manifest.xml", zh: "manifest.xml 無法讀取或已損毀。",
          en: "cannot read manifest.xml: \(error)")
      return nil
    } catch {
      add(.corruptArchive, entry: "manifest.xml", zh: "manifest.xml 無法讀取。", en: "cannot read manifest.xml: \(error)")
      return nil
    }
    let document: XMLDocument
    do {
      document = try XMLDocument(bytes: bytes, maxBytes: Int(caps.maxManifestBytes))
    } catch {
      let code: Finding.Code = error.kind == .forbiddenConstruct ? .xmlForbidden : .schemaInvalid
      add(code, entry: "manifest.xml", zh: code == .xmlForbidden ? "manifest.xml 含有被禁止的 XML 結構（DOCTYPE 或實體）。" : "manifest.xml 不是正確的 XML。",
          en: error.description, details: ["issues": error.issues.prefix(20).map(\.description).joined(separator: " | ")])
      return nil
    }
    guard let root = document.rootElement(), root.name == "portfolioPackage", root.namespace == ManifestXML.namespace else {
      add(.schemaInvalid, entry: "manifest.xml", zh: "manifest.xml 不是學習歷程封包清單。",
          en: "the root element must be portfolioPackage in namespace \(ManifestXML.namespace)")
      return nil
    }
    let version = root.attributes["specVersion"] ?? ""
    if let major = version.split(separator: ".").first, major != "1" {
      add(.unsupportedVersion, entry: "manifest.xml", zh: "封包規格版本 \(version) 不受支援（本程式支援 1.x）。",
          en: "specVersion \(version) is not supported; this reader accepts 1.x", details: ["specVersion": version])
      return nil
    }
    let issues = schema.errors(in: document)
    if !issues.isEmpty {
      add(.schemaInvalid, entry: "manifest.xml", zh: "manifest.xml 不符合欄位規格（共 \(issues.count) 處）。",
          en: "breaks the XSD: " + issues.prefix(5).map(\.description).joined(separator: "; "),
          details: ["issues": issues.prefix(20).map(\.description).joined(separator: " | ")])
      return nil
    }
    return ManifestXML.read(root)
  }

  mutating func checkManifest(_ manifest: PackageManifest, entryNames: [String]) {
    var seen = Set<String>()
    for id in manifest.itemIds where !seen.insert(id).inserted {
      add(.duplicateId, item: id, zh: "項目編號 \(id) 重複。", en: "item id \(id) appears more than once")
    }
    let student = manifest.student
    if !IDNumberRules.isValid(student.idNumber, type: student.idType) {
      add(.invalidIdNumber, zh: "身分證明號碼（\(PrivateData.maskIDNumber(student.idNumber))）檢查碼不正確。",
          en: "the ID number (\(PrivateData.maskIDNumber(student.idNumber))) fails its \(student.idType) checksum")
    }
    if student.idNumber.count >= 6, ([name] + entryNames).contains(where: { $0.localizedCaseInsensitiveContains(student.idNumber) }) {
      add(.unsafeEntry, zh: "檔名或項目名稱含有身分證明號碼，違反個資保護。", en: "an entry name or the package name holds the student's ID number")
    }
    let earliest = "\(student.enrollmentYear + 1911)-07-01"
    for item in manifest.performances where item.startDate < earliest {
      add(.beforeEnrollment, item: item.id, zh: "多元表現 \(item.id) 的日期早於入學年 7 月 1 日。",
          en: "performance \(item.id) starts \(item.startDate), before \(earliest)")
    }
    for item in manifest.outcomes
    where !manifest.courses.contains(where: { $0.code == item.courseCode && $0.academicYear == item.academicYear && $0.term == item.term }) {
      add(.unknownCourse, item: item.id, zh: "課程學習成果 \(item.id) 的課程不在修課紀錄中。",
          en: "outcome \(item.id): course \(item.courseCode) is not in courseRecords for \(item.academicYear)-\(item.term)")
    }
    for (itemId, _, _, _, file) in manifest.allFiles {
      let owned = manifest.allFiles.filter { $0.itemId == itemId }.map(\.file.path)
      let ordinal = (owned.firstIndex(of: file.path) ?? 0) + 1
      let expected = "files/\(itemId)/\(ordinal).\(ContentNames.preferredExtension(file.mime) ?? "")"
      if file.path != expected {
        add(.schemaInvalid, entry: file.path, item: itemId, zh: "清單中的檔案路徑與規格不符。", en: "the path should be \(expected)")
      }
    }
    guard manifest.kind == .central else { return }
    guard let year = manifest.academicYear else {
      add(.schemaInvalid, entry: "manifest.xml", zh: "中央封包缺少學年度。", en: "a central package needs header/academicYear")
      return
    }
    if manifest.consultations != nil {
      add(.wrongKind, zh: "中央封包不可包含課程諮詢紀錄。", en: "a central package holds consultationRecords")
    }
    let items: [(String, Int, Bool)] = manifest.outcomes.map { ($0.id, $0.academicYear, $0.selected) }
      + manifest.performances.map { ($0.id, $0.academicYear, $0.selected) }
    for (id, itemYear, selected) in items {
      if !selected { add(.wrongKind, item: id, zh: "中央封包含有未勾選的項目 \(id)。", en: "\(id) is not selected but is in a central package") }
      if itemYear != year { add(.wrongKind, item: id, zh: "項目 \(id) 不屬於 \(year) 學年度。", en: "\(id) is of \(itemYear), not \(year)") }
    }
    for outcome in manifest.outcomes where outcome.certification.status != "passed" {
      add(.notCertified, item: outcome.id, zh: "課程學習成果 \(outcome.id) 未通過認證。", en: "outcome \(outcome.id) is \(outcome.certification.status), not passed")
    }
    let limits = table.selectionLimits
    if manifest.outcomes.count > limits.courseOutcomesPerYear {
      add(.selectionOverLimit, zh: "課程學習成果有 \(manifest.outcomes.count) 件，超過上限 \(limits.courseOutcomesPerYear) 件。",
          en: "\(manifest.outcomes.count) course outcomes; the limit is \(limits.courseOutcomesPerYear)")
    }
    if manifest.performances.count > limits.multiplePerformancesPerYear {
      add(.selectionOverLimit, zh: "多元表現有 \(manifest.performances.count) 件，超過上限 \(limits.multiplePerformancesPerYear) 件。",
          en: "\(manifest.performances.count) multiple performances; the limit is \(limits.multiplePerformancesPerYear)")
    }
  }

  mutating func checkFiles(_ manifest: PackageManifest, reader: ZipArchiveReader, named: [String: ZipEntry]) {
    let listed = manifest.allFiles
    var listedPaths = Set<String>()
    for file in listed where !listedPaths.insert(file.file.path).inserted {
      add(.duplicateEntry, entry: file.file.path, zh: "清單中的檔案路徑重複。", en: "the manifest lists this path twice")
    }
    for name in named.keys.sorted() where name != "manifest.xml" && !listedPaths.contains(name) {
      add(.unlistedEntry, entry: name, zh: "封包中有清單沒有列出的檔案。", en: "the entry is not listed in the manifest")
    }
    guard verifyContent else {
      for (itemId, _, _, _, file) in listed {
        guard let entry = named[file.path] else {
          add(.missingEntry, entry: file.path, item: itemId, zh: "清單列出的檔案不在封包中。", en: "listed in the manifest but absent")
          continue
        }
        if entry.declaredSize != UInt64(max(file.bytes, 0)) {
          add(.sizeMismatch, entry: file.path, item: itemId, zh: "檔案大小與清單不符。", en: "\(entry.declaredSize) bytes; the manifest says \(file.bytes)")
        }
      }
      return
    }
    guard let sniffer = try? MagicSniffer(bytesMax: FileInspector.sniffWindow), let hasher = try? SHA256Hasher() else {
      add(.corruptArchive, zh: "無法啟動檢查。", en: "libmagic or OpenSSL could not be initialised")
      return
    }
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Int(caps.maxFileBytes), alignment: 16)
    defer { buffer.deallocate() }
    for (itemId, kind, year, term, file) in listed {
      guard let entry = named[file.path] else {
        add(.missingEntry, entry: file.path, item: itemId, zh: "清單列出的檔案不在封包中。", en: "listed in the manifest but absent")
        continue
      }
      try? hasher.reset()
      var filled = 0
      do {
        try reader.read(entry, maxBytes: caps.maxFileBytes) { chunk in
          hasher.update(chunk)
          UnsafeMutableRawBufferPointer(rebasing: buffer[filled..<(filled + chunk.count)]).copyMemory(from: chunk)
          filled += chunk.count
        }
      } catch let error as ZipError {
        let code: Finding.Code = error.kind == .overLimit ? .archiveBomb : .corruptArchive
        add(code, entry: file.path, item: itemId, zh: error.isChecksumMismatch ? "檔案內容與 zip 的 CRC 不符（已損毀）。" : "檔案無法讀取。",
            en: error.description)
        continue
      } catch {
        add(.corruptArchive, entry: file.path, item: itemId, zh: "檔案無法讀取。", en: "\(error)")
        continue
      }
      let bytes = UnsafeRawBufferPointer(rebasing: buffer[0..<filled])
      let digest = (try? hasher.finish()) ?? ""
      if Int64(filled) != file.bytes {
        add(.sizeMismatch, entry: file.path, item: itemId, zh: "檔案大小與清單不符。", en: "\(filled) bytes; the manifest says \(file.bytes)")
      }
      if digest != file.sha256 {
        add(.hashMismatch, entry: file.path, item: itemId, zh: "檔案內容與清單記錄的 SHA-256 不符（檔案被改過）。",
            en: "SHA-256 \(digest.prefix(12))… differs from the manifest's \(file.sha256.prefix(12))…")
      }
      let mime = (try? sniffer.mimeType(of: FileInspector.sniffWindowOf(bytes))) ?? "application/octet-stream"
      let policy = table.policy(for: PolicyYear(academicYear: year, term: term ?? 1))
      if mime != file.mime || !policy.allowedTypes(role: file.role).contains(mime) {
        add(.formatNotAllowed, entry: file.path, item: itemId, zh: "檔案內容（\(ContentNames.of(mime).zh)）與清單的類型不符。",
            en: "content is \(mime); the manifest says \(file.mime) as a \(file.role.rawValue)", details: ["mime": mime])
        continue
      }
      let limit = policy.limit(role: file.role, kind: kind)
      if Int64(filled) > limit {
        add(.tooLarge, entry: file.path, item: itemId, zh: "檔案 \(SizeText.mb(Int64(filled))) 超過 \(year) 學年度上限 \(SizeText.mb(limit))。",
            en: "\(filled) bytes exceeds the \(limit)-byte limit of policy \(policy.id)", details: ["limit": String(limit), "policy": policy.id])
      }
      let item = ItemManifest(itemId: itemId, kind: kind, academicYear: year, term: term, files: [])
      for problem in FormatParsers.inspect(mime: mime, bytes).problems {
        if var finding = FileRules.structural(problem, name: file.originalName, item: item, place: FindingPlace(itemId: itemId, file: "\(name):\(file.path)", shortName: file.originalName)) {
          finding.details["entry"] = file.path
          findings.append(finding)
        }
      }
    }
  }
}
