import Foundation

/// report.json written directly, byte for byte what `JSONEncoder` writes with `.prettyPrinted,
/// .sortedKeys, .withoutEscapingSlashes` (a test holds the two equal), without building a tree of
/// boxed values first: several times faster on a school's thousands of files and findings, and
/// the writer a streamed report needs.
struct PrettyJSON {
  private(set) var bytes: [UInt8] = []
  private var level = 0
  /// Whether the current object or array has a member yet (one flag per open level).
  private var hasMember: [Bool] = []

  /// Where the bytes go once `spillAt` of them are held (`nil`: every byte stays in `bytes`), so
  /// that a whole school's report.json is never in memory at once.
  var spill: (any ByteSink)?
  /// The first write that failed (a full disk): the caller throws it once the document is done.
  private(set) var spillFailure: SystemError?
  static let spillAt = 256 << 10

  init(capacity: Int) { bytes.reserveCapacity(capacity) }

  /// Sends what is held to `spill` (the rest of the document follows it).
  mutating func flush() {
    guard let spill, !bytes.isEmpty else { return }
    if spillFailure == nil {
      do throws(SystemError) {
        try spill.write(bytes)
      } catch {
        spillFailure = error
      }
    }
    bytes.removeAll(keepingCapacity: true)
  }

  /// Forgets the bytes written so far, keeping where the writer stands (its level, its members).
  mutating func discard() { bytes.removeAll(keepingCapacity: true) }

  /// Bytes written as they are (a fragment another writer made with the same layout).
  mutating func raw(_ fragment: [UInt8]) { bytes += fragment }

  mutating func beginObject() { open(UInt8(ascii: "{")) }
  mutating func endObject() { close(UInt8(ascii: "}")) }
  mutating func beginArray() { open(UInt8(ascii: "[")) }
  mutating func endArray() { close(UInt8(ascii: "]")) }

  /// Starts the member `name` of the current object (the caller keeps names sorted).
  mutating func key(_ name: String) {
    member()
    string(name)
    bytes += [0x20, 0x3A, 0x20]  // " : "
  }

  /// Starts the next element of the current array.
  mutating func element() { member() }

  mutating func string(_ text: String) {
    bytes.append(0x22)
    // Most strings need no escape: their bytes are appended in one go.
    var text = text
    let plain = text.withUTF8 { utf8 in
      guard !utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) else { return false }
      bytes.append(contentsOf: utf8)
      return true
    }
    if !plain { escape(text) }
    bytes.append(0x22)
  }

  /// `text`'s bytes with JSON's escapes, as `JSONEncoder` writes them.
  private mutating func escape(_ text: String) {
    for byte in text.utf8 {
      switch byte {
      case 0x22: bytes += [0x5C, 0x22]
      case 0x5C: bytes += [0x5C, 0x5C]
      case 0x0A: bytes += [0x5C, UInt8(ascii: "n")]
      case 0x0D: bytes += [0x5C, UInt8(ascii: "r")]
      case 0x09: bytes += [0x5C, UInt8(ascii: "t")]
      case 0x08: bytes += [0x5C, UInt8(ascii: "b")]
      case 0x0C: bytes += [0x5C, UInt8(ascii: "f")]
      case 0..<0x20:
        let hex = Array("0123456789abcdef".utf8)
        bytes += Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
      default: bytes.append(byte)
      }
    }
  }

  mutating func string(_ text: String?) {
    if let text { string(text) } else { bytes += Array("null".utf8) }
  }

  mutating func integer<Number: BinaryInteger>(_ value: Number) { bytes += Array(String(value).utf8) }

  /// A double as `JSONEncoder` writes it: its description, without a trailing `.0`.
  mutating func double(_ value: Double) {
    let text = value.description
    bytes += Array((text.hasSuffix(".0") ? String(text.dropLast(2)) : text).utf8)
  }

  mutating func strings(_ values: [String]) { array(values) { value, json in json.string(value) } }

  /// An array with each element written by `body`.
  mutating func array<Values: Collection>(_ values: Values, _ body: (Values.Element, inout PrettyJSON) -> Void) {
    beginArray()
    for value in values {
      element()
      body(value, &self)
    }
    endArray()
  }

  /// String members in the order given (the caller keeps names sorted); `nil` is written `null`.
  mutating func members(_ pairs: KeyValuePairs<String, String?>) {
    for (name, value) in pairs {
      key(name)
      string(value)
    }
  }

  /// The member `name` when there is a value (an absent optional is not written, as
  /// `JSONEncoder` leaves out a `nil` property).
  mutating func member(_ name: String, _ value: Int?) {
    guard let value else { return }
    key(name)
    integer(value)
  }

  /// An object, keys in byte order (as `.sortedKeys` orders them), each value written by `body`.
  mutating func object<Value>(_ values: [String: Value], _ body: (Value, inout PrettyJSON) -> Void) {
    beginObject()
    for (name, value) in values.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
      key(name)
      body(value, &self)
    }
    endObject()
  }

  /// An object of integer values.
  mutating func integers(_ values: [String: Int]) { object(values) { value, json in json.integer(value) } }

  /// An object of string values.
  mutating func dictionary(_ values: [String: String]) { object(values) { value, json in json.string(value) } }

  /// Integer members in the order given (the caller keeps names sorted).
  mutating func members(_ pairs: KeyValuePairs<String, Int>) {
    for (name, value) in pairs {
      key(name)
      integer(value)
    }
  }

  private mutating func open(_ bracket: UInt8) {
    bytes.append(bracket)
    level += 1
    hasMember.append(false)
  }

  private mutating func close(_ bracket: UInt8) {
    // An empty container is written with an empty line inside, as JSONEncoder does.
    let had = hasMember.removeLast()
    level -= 1
    if !had { bytes.append(0x0A) }
    newline()
    bytes.append(bracket)
  }

  private mutating func member() {
    if spill != nil, bytes.count >= Self.spillAt { flush() }
    if hasMember[hasMember.count - 1] { bytes.append(0x2C) }
    hasMember[hasMember.count - 1] = true
    newline()
  }

  private mutating func newline() {
    bytes.append(0x0A)
    let indent = level * 2
    if indent <= Self.spaces.count {
      bytes += Self.spaces[..<indent]
    } else {
      bytes += repeatElement(0x20, count: indent)
    }
  }

  /// Indentation for the usual depths, appended as one slice.
  private static let spaces = [UInt8](repeating: 0x20, count: 32)
}

extension ValidationReport {
  /// report.json (see `PrettyJSON`), with a final line break.
  public func json() throws -> [UInt8] {
    var json = PrettyJSON(capacity: 512 + files.count * 600 + findings.count * 700)
    encode(into: &json)
    return json.bytes + [0x0A]
  }

  /// report.json written as it is encoded, a megabyte at a time: the same bytes as `json()`.
  public func writeJSON(to path: String) throws {
    try AtomicFile.stream(to: path) { sink in
      var json = PrettyJSON(capacity: PrettyJSON.spillAt + 64 * 1024)
      json.spill = sink
      encode(into: &json)
      json.flush()
      if let failure = json.spillFailure { throw failure }
      try sink.write([0x0A])
    }
  }

  func encode(into json: inout PrettyJSON) {
    Self.begin(drop: drop, into: &json)
    json.array(files) { file, json in Self.write(file, into: &json) }
    json.key("findings")
    json.array(findings) { finding, json in Self.write(finding, into: &json) }
    Self.end(
      generator: generator, ledger: ledger, policyTable: policyTable, schoolCode: schoolCode, summary, into: &json)
  }

  /// report.json up to its files array's value: `{`, the drop, the key `files`.
  static func begin(drop: String, into json: inout PrettyJSON) {
    json.beginObject()
    json.key("drop")
    json.string(drop)
    json.key("files")
  }

  /// report.json after its findings: the members that follow them, and the closing brace.
  static func end(
    generator: String, ledger: [String]?, policyTable: String, schoolCode: String?, _ summary: Summary,
    into json: inout PrettyJSON
  ) {
    json.key("generator")
    json.string(generator)
    if let ledger {
      json.key("ledger")
      json.strings(ledger)
    }
    json.key("policyTable")
    json.string(policyTable)
    if let schoolCode {
      json.key("schoolCode")
      json.string(schoolCode)
    }
    json.key("summary")
    write(summary, into: &json)
    json.endObject()
  }

  static func write(_ file: FileRecord, into json: inout PrettyJSON) {
    json.beginObject()
    json.key("bytes")
    json.integer(file.bytes)
    if let seconds = file.durationSeconds {
      json.key("durationSeconds")
      json.double(seconds)
    }
    json.key("findings")
    json.strings(file.findings)
    json.member("height", file.height)
    json.key("itemId")
    json.string(file.itemId)
    if let md5 = file.md5 {
      json.key("md5")
      json.string(md5)
    }
    json.key("mime")
    json.string(file.mime)
    json.key("originalName")
    json.string(file.originalName)
    json.member("pages", file.pages)
    json.members([
      "path": file.path, "policy": file.policy, "role": file.role.rawValue, "sha256": file.sha256,
      "studentNumber": file.studentNumber, "verdict": file.verdict.rawValue,
    ])
    json.member("width", file.width)
    json.endObject()
  }

  static func write(_ finding: Finding, into json: inout PrettyJSON) {
    json.beginObject()
    json.key("code")
    json.string(finding.code.rawValue)
    json.key("details")
    json.dictionary(finding.details.merging(finding.evidence.entries) { own, _ in own })
    json.members([
      "file": finding.file, "itemId": finding.itemId, "message_en": finding.messageEN,
      "message_zh": finding.messageZH, "severity": finding.severity.rawValue, "studentNumber": finding.studentNumber,
    ])
    json.endObject()
  }

  static func write(_ summary: Summary, into json: inout PrettyJSON) {
    json.beginObject()
    json.key("bytes")
    json.integer(summary.bytes)
    json.members([
      "errors": summary.errors, "files": summary.files, "filesAccepted": summary.filesAccepted,
      "filesRejected": summary.filesRejected,
    ])
    json.key("findingsByCode")
    json.integers(summary.findingsByCode)
    json.members([
      "items": summary.items, "itemsAccepted": summary.itemsAccepted, "itemsRejected": summary.itemsRejected,
      "students": summary.students, "warnings": summary.warnings,
    ])
    json.endObject()
  }
}
