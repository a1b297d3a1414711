import Foundation

/// The compact binary form of the worker messages sent once per file (requests and replies):
/// JSON cost more than the inspection of a small file. Rare parts (a file's structural
/// problems, a package's check) are carried as JSON inside it. Every read is bounds-checked;
/// a malformed message decodes to `nil`, never a trap.
enum WorkerWire {
  struct Writer {
    var bytes: [UInt8] = []

    mutating func byte(_ value: UInt8) { bytes.append(value) }
    mutating func int64(_ value: Int64) {
      for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> Int64(shift))) }
    }
    mutating func double(_ value: Double) { int64(Int64(bitPattern: value.bitPattern)) }
    mutating func string(_ value: String) {
      let utf8 = Array(value.utf8)
      int64(Int64(utf8.count))
      bytes += utf8
    }
    mutating func optionalInt(_ value: Int?) {
      byte(value == nil ? 0 : 1)
      if let value { int64(Int64(value)) }
    }
  }

  struct Reader {
    let bytes: [UInt8]
    var at = 0

    mutating func byte() -> UInt8? {
      guard at < bytes.count else { return nil }
      defer { at += 1 }
      return bytes[at]
    }
    mutating func int64() -> Int64? {
      guard bytes.count - at >= 8 else { return nil }
      var value: UInt64 = 0
      for index in 0..<8 { value |= UInt64(bytes[at + index]) << UInt64(8 * index) }
      at += 8
      return Int64(bitPattern: value)
    }
    mutating func double() -> Double? { int64().map { Double(bitPattern: UInt64(bitPattern: $0)) } }
    mutating func string() -> String? {
      guard let count = int64(), count >= 0, count <= Int64(bytes.count - at) else { return nil }
      defer { at += Int(count) }
      return String(decoding: bytes[at..<at + Int(count)], as: UTF8.self)
    }
    mutating func optionalInt() -> Int?? {
      guard let flag = byte() else { return nil }
      guard flag == 1 else { return .some(nil) }
      guard let value = int64() else { return nil }
      return .some(Int(truncatingIfNeeded: value))
    }
  }

  static func encode(_ request: WorkerProtocol.Request) -> [UInt8] {
    var writer = Writer()
    writer.byte(
      (request.withMD5 ? 1 : 0) | (request.package ? 2 : 0) | (request.displayName != nil ? 4 : 0)
        | (request.scanned ? 8 : 0))
    writer.string(request.path)
    if let name = request.displayName { writer.string(name) }
    return writer.bytes
  }

  static func request(_ bytes: [UInt8]) -> WorkerProtocol.Request? {
    var reader = Reader(bytes: bytes)
    guard let flags = reader.byte(), let path = reader.string() else { return nil }
    var request = WorkerProtocol.Request(
      path: path, withMD5: flags & 1 != 0, package: flags & 2 != 0, scanned: flags & 8 != 0)
    if flags & 4 != 0 {
      guard let name = reader.string() else { return nil }
      request.displayName = name
    }
    return request
  }

  static func encode(_ reply: WorkerProtocol.Reply) -> [UInt8] {
    var writer = Writer()
    switch reply {
    case .ready(let baseline, let limit):
      writer.byte(0)
      writer.int64(baseline)
      writer.int64(limit)
    case .inspected(let inspection):
      writer.byte(1)
      encode(inspection, into: &writer)
    case .checked(let check):
      writer.byte(2)
      writer.string(String(decoding: (try? JSONEncoder().encode(check)) ?? Data(), as: UTF8.self))
    case .notRegular(let kind):
      writer.byte(3)
      writer.string(kind)
    case .system(let call, let code):
      writer.byte(4)
      writer.string(call)
      writer.int64(Int64(code))
    case .memoryExhausted(let peak):
      writer.byte(5)
      writer.int64(peak)
    }
    return writer.bytes
  }

  static func reply(_ bytes: [UInt8]) -> WorkerProtocol.Reply? {
    var reader = Reader(bytes: bytes)
    switch reader.byte() {
    case 0:
      guard let baseline = reader.int64(), let limit = reader.int64() else { return nil }
      return .ready(baseline: baseline, addressLimit: limit)
    case 1: return inspection(&reader).map { .inspected($0) }
    case 2:
      guard let text = reader.string(), let check = try? JSONDecoder().decode(PackageCheck.self, from: Data(text.utf8))
      else { return nil }
      return .checked(check)
    case 3: return reader.string().map { .notRegular($0) }
    case 4:
      guard let call = reader.string(), let code = reader.int64(), let errno = Int32(exactly: code) else { return nil }
      return .system(call: call, errno: errno)
    case 5: return reader.int64().map { .memoryExhausted(peak: $0) }
    default: return nil
    }
  }

  private static func encode(_ inspection: FileInspection, into writer: inout Writer) {
    writer.string(inspection.mime)
    writer.string(inspection.magicDescription)
    writer.int64(inspection.bytes)
    writer.string(inspection.sha256)
    writer.byte(inspection.md5 == nil ? 0 : 1)
    if let md5 = inspection.md5 { writer.string(md5) }
    guard let facts = inspection.facts else { return writer.byte(0) }
    writer.byte(1)
    writer.optionalInt(facts.pages)
    writer.optionalInt(facts.width)
    writer.optionalInt(facts.height)
    writer.byte(facts.durationSeconds == nil ? 0 : 1)
    if let duration = facts.durationSeconds { writer.double(duration) }
    let problems =
      facts.problems.isEmpty
      ? "" : String(decoding: (try? JSONEncoder().encode(facts.problems)) ?? Data(), as: UTF8.self)
    writer.string(problems)
  }

  private static func inspection(_ reader: inout Reader) -> FileInspection? {
    guard let mime = reader.string(), let description = reader.string(), let bytes = reader.int64(),
      let sha256 = reader.string(), let hasMD5 = reader.byte()
    else { return nil }
    var md5: String?
    if hasMD5 == 1 {
      guard let value = reader.string() else { return nil }
      md5 = value
    }
    var inspection = FileInspection(
      mime: mime, magicDescription: description, bytes: bytes, sha256: sha256, md5: md5, facts: nil)
    guard let hasFacts = reader.byte() else { return nil }
    guard hasFacts == 1 else { return inspection }
    var facts = ContentFacts()
    guard let pages = reader.optionalInt(), let width = reader.optionalInt(), let height = reader.optionalInt(),
      let hasDuration = reader.byte()
    else { return nil }
    (facts.pages, facts.width, facts.height) = (pages, width, height)
    if hasDuration == 1 {
      guard let duration = reader.double() else { return nil }
      facts.durationSeconds = duration
    }
    guard let problems = reader.string() else { return nil }
    if !problems.isEmpty {
      guard let decoded = try? JSONDecoder().decode([ContentProblem].self, from: Data(problems.utf8)) else {
        return nil
      }
      facts.problems = decoded
    }
    inspection.facts = facts
    return inspection
  }
}
