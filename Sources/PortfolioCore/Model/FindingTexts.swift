/// The words of a finding — both messages, the evidence and the details — packed into one
/// allocation. A school's run keeps tens of thousands of findings until its reports are
/// written; held as separate strings and a dictionary, each cost about ten allocations and
/// their headers. Read back field by field; equal texts are equal bytes (details by key order).
/// A run moves them to its `TextSpool` (a file) as soon as a student is judged: then a
/// finding in memory is its codes and places, and its words are read when a report prints them.
struct FindingTexts: Sendable, Equatable {
  private enum Storage: Sendable {
    case held([UInt8])
    case spooled(TextSpool, TextSpool.Place)
  }
  private var storage: Storage

  /// Every field at once.
  struct Fields: Equatable {
    var messageZH: String
    var messageEN: String
    var evidence: Evidence
    var details: [String: String]
  }

  init(_ fields: Fields) { storage = .held(Self.pack(fields)) }

  /// The fields as one run of bytes: each string as its UTF-8 length and bytes (absent: length
  /// `UInt32.max`), the messages first, then the evidence, then the details by key.
  private static func pack(_ fields: Fields) -> [UInt8] {
    var bytes: [UInt8] = []
    let sorted = fields.details.sorted { $0.key < $1.key }
    let strings = [fields.messageZH, fields.messageEN] + sorted.flatMap { [$0.key, $0.value] }
    let optional = [fields.evidence.observed, fields.evidence.expected, fields.evidence.source]
    bytes.reserveCapacity(
      strings.reduce(0) { $0 + $1.utf8.count + 4 } + optional.reduce(0) { $0 + ($1?.utf8.count ?? 0) + 4 } + 4)
    func put(_ number: UInt32) { withUnsafeBytes(of: number.littleEndian) { bytes += $0 } }
    func put(_ text: String?) {
      guard let text else { return put(UInt32.max) }
      put(UInt32(text.utf8.count))
      bytes += text.utf8
    }
    put(fields.messageZH)
    put(fields.messageEN)
    optional.forEach(put)
    put(UInt32(sorted.count))
    for (key, value) in sorted {
      put(key)
      put(value)
    }
    return bytes
  }

  /// The packed fields, from memory or from the spool. A spool that cannot be read back (an
  /// I/O error on the run's own file) gives words that say so, never someone else's.
  private var bytes: [UInt8] {
    switch storage {
    case .held(let bytes): return bytes
    case .spooled(let spool, let place):
      switch spool.read(place) {
      case .success(let bytes): return bytes
      case .failure(let error): return Self.pack(Self.unreadable(error))
      }
    }
  }

  /// What stands in for words the spool lost.
  static func unreadable(_ error: SystemError) -> Fields {
    Fields(
      messageZH: "這則訊息在產生報告時無法讀回（學校伺服器的暫存檔讀取錯誤），請學校資訊人員重新執行檢查。",
      messageEN: "This finding's message could not be read back from the run's spool file (\(error)): run again.",
      evidence: .none, details: [:])
  }

  /// Moves the words into `spool` (kept in memory when it cannot take them).
  mutating func spool(into spool: TextSpool) {
    guard case .held(let bytes) = storage, let place = spool.append(bytes) else { return }
    storage = .spooled(spool, place)
  }

  /// Whether the words are in a spool rather than in memory.
  var isSpooled: Bool {
    if case .spooled = storage { return true }
    return false
  }

  static func == (left: FindingTexts, right: FindingTexts) -> Bool { left.bytes == right.bytes }

  /// Reads the fields in order; `wanted` stops after the first `wanted` strings (the messages
  /// are first: reading one does not decode the rest).
  private func read(_ wanted: Int = .max) -> [String?] {
    var texts: [String?] = []
    var offset = 0
    bytes.withUnsafeBytes { raw in
      func number() -> Int {
        let value = raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self).littleEndian
        offset += 4
        return value == UInt32.max ? -1 : Int(value)
      }
      func text() -> String? {
        let count = number()
        guard count >= 0 else { return nil }
        defer { offset += count }
        return String(decoding: raw[offset..<offset + count], as: UTF8.self)
      }
      for _ in 0..<5 where texts.count < wanted { texts.append(text()) }
      guard texts.count < wanted else { return }
      for _ in 0..<number() { texts += [text(), text()] }
    }
    return texts
  }

  var messageZH: String { read(1)[0] ?? "" }
  var messageEN: String { read(2)[1] ?? "" }

  var fields: Fields {
    get {
      let texts = read()
      var details: [String: String] = [:]
      for pair in stride(from: 5, to: texts.count, by: 2) { details[texts[pair] ?? ""] = texts[pair + 1] ?? "" }
      return Fields(
        messageZH: texts[0] ?? "", messageEN: texts[1] ?? "",
        evidence: Evidence(observed: texts[2], expected: texts[3], source: texts[4]), details: details)
    }
    set { self = FindingTexts(newValue) }
  }
}
