/// The state a JPEG decoder keeps between segments: the frame header (`SOF`) and the tables
/// defined so far. Each segment is checked as ITU T.81 defines it; a scan must find the
/// tables it names already defined (no default tables are assumed).
struct JPEGTables {
  struct Component {
    let id: UInt8
    let quantTable: UInt8
  }

  var frameMarker: UInt8?
  var components: [Component] = []
  var width = 0
  var height = 0
  var quant: Set<UInt8> = []
  var dcHuffman: Set<UInt8> = []
  var acHuffman: Set<UInt8> = []
  /// Tables (class << 4 | id) whose code lengths no decoder can build a code from: refused
  /// when a scan uses one (libjpeg: "Bogus Huffman table definition").
  var bogusHuffman: Set<UInt8> = []
  var scans = 0

  /// The coding processes browsers decode: baseline, extended sequential and progressive, Huffman.
  static let displayable: Set<UInt8> = [0xC0, 0xC1, 0xC2]
  static let frameMarkers: Set<UInt8> = [0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF]

  static func processName(_ marker: UInt8) -> (en: String, zh: String) {
    switch marker {
    case 0xC3: ("a lossless JPEG (SOF3)", "無失真（lossless）編碼的 JPEG")
    case 0xC5, 0xC6, 0xC7: ("a hierarchical JPEG (SOF\(marker - 0xC0))", "階層式（hierarchical）編碼的 JPEG")
    case 0xC9, 0xCA: ("an arithmetic-coded JPEG (SOF\(marker - 0xC0))", "算術編碼（arithmetic coding）的 JPEG")
    case 0xCB: ("an arithmetic-coded lossless JPEG (SOF11)", "算術編碼的無失真 JPEG")
    default: ("an arithmetic-coded hierarchical JPEG (SOF\(marker - 0xC0))", "算術編碼的階層式 JPEG")
    }
  }

  static let advice = "請用手機相簿、小畫家或其他看圖程式把圖片另存為一般的 JPG 或 PNG 後重新上傳。"

  /// Reads a `SOF` segment body. Returns what is wrong, if anything.
  mutating func readFrame(_ marker: UInt8, _ body: UnsafeRawBufferPointer) -> ContentProblem? {
    guard frameMarker == nil else { return nil }  // a second frame header is ignored, as decoders do
    frameMarker = marker
    guard body.count >= 6 else { return .corrupt("the frame header (SOF) is \(body.count) bytes") }
    let precision = body[0]
    height = body.bigEndian16(1)
    width = body.bigEndian16(3)
    let count = Int(body[5])
    if !Self.displayable.contains(marker) {
      let name = Self.processName(marker)
      return .unsupportedVariant(UnsupportedContent(en: name.en, zh: name.zh, advice: Self.advice))
    }
    guard precision == 8 || precision == 12 else {
      return .corrupt("the frame header says \(precision)-bit samples (JPEG has 8 or 12)")
    }
    if precision == 12 {
      return .unsupportedVariant(
        UnsupportedContent(en: "a 12-bit JPEG", zh: "12 位元（12-bit）的 JPEG", advice: Self.advice))
    }
    guard width > 0, height > 0 else { return .corrupt("the frame header says \(width) × \(height) pixels") }
    guard [1, 3, 4].contains(count), body.count >= 6 + 3 * count else {
      return .corrupt("the frame header lists \(count) components in \(body.count) bytes")
    }
    for index in 0..<count {
      let at = 6 + 3 * index
      let horizontal = body[at + 1] >> 4
      let vertical = body[at + 1] & 0x0F
      guard (1...4).contains(horizontal), (1...4).contains(vertical) else {
        return .corrupt("component \(body[at]) has sampling factors \(horizontal)×\(vertical) (each must be 1–4)")
      }
      guard body[at + 2] <= 3 else { return .corrupt("component \(body[at]) names quantization table \(body[at + 2])") }
      components.append(Component(id: body[at], quantTable: body[at + 2]))
    }
    return nil
  }

  /// Reads a `DQT` segment: one or more tables of 64 entries, 8- or 16-bit.
  mutating func readQuantization(_ body: UnsafeRawBufferPointer) -> ContentProblem? {
    var at = 0
    while at < body.count {
      let precision = body[at] >> 4
      let table = body[at] & 0x0F
      guard precision <= 1, table <= 3 else {
        return .corrupt("a quantization table (DQT) says precision \(precision), table \(table)")
      }
      let size = precision == 0 ? 64 : 128
      guard at + 1 + size <= body.count else { return .corrupt("a quantization table (DQT) is cut short") }
      quant.insert(table)
      at += 1 + size
    }
    return at == 0 ? .corrupt("an empty quantization segment (DQT)") : nil
  }

  /// Reads a `DHT` segment: one or more tables of at most 256 codes.
  mutating func readHuffman(_ body: UnsafeRawBufferPointer) -> ContentProblem? {
    var at = 0
    while at < body.count {
      let tableClass = body[at] >> 4
      let table = body[at] & 0x0F
      guard tableClass <= 1, table <= 3, at + 17 <= body.count else {
        return .corrupt("a Huffman table (DHT) says class \(tableClass), table \(table)")
      }
      let codes = body.slice((at + 1)..<(at + 17)).reduce(0) { $0 + Int($1) }
      guard codes > 0, codes <= 256, at + 17 + codes <= body.count else {
        return .corrupt("a Huffman table (DHT) declares \(codes) codes in \(body.count - at - 17) bytes")
      }
      if tableClass == 0 { dcHuffman.insert(table) } else { acHuffman.insert(table) }
      let counts = body.slice((at + 1)..<(at + 17))
      let symbols = body.slice((at + 17)..<(at + 17 + codes))
      if Self.isBuildable(counts, symbols: symbols, dc: tableClass == 0) {
        bogusHuffman.remove(body[at])
      } else {
        bogusHuffman.insert(body[at])
      }
      at += 17 + codes
    }
    return at == 0 ? .corrupt("an empty Huffman segment (DHT)") : nil
  }

  /// Reads a `SOS` header: the frame and every table the scan names must already be defined.
  mutating func readScan(_ body: UnsafeRawBufferPointer) -> ContentProblem? {
    guard frameMarker != nil else { return .corrupt("a scan (SOS) comes before the frame header (SOF)") }
    guard body.count >= 1 else { return .corrupt("an empty scan header (SOS)") }
    let count = Int(body[0])
    guard (1...4).contains(count), body.count >= 1 + 2 * count + 3 else {
      return .corrupt("the scan header (SOS) lists \(count) components in \(body.count) bytes")
    }
    if scans == 0 {
      for component in components where !quant.contains(component.quantTable) {
        return .corrupt("no quantization table \(component.quantTable) (DQT) before the scan")
      }
    }
    scans += 1
    for index in 0..<count {
      let selector = body[1 + 2 * index]
      guard components.contains(where: { $0.id == selector }) else {
        return .corrupt("the scan names component \(selector), which the frame does not have")
      }
      let dc = body[2 + 2 * index] >> 4
      let ac = body[2 + 2 * index] & 0x0F
      let spectralStart = body[1 + 2 * count]
      let needsDC = frameMarker != 0xC2 || spectralStart == 0
      let needsAC = frameMarker != 0xC2 || spectralStart > 0
      if needsDC && !dcHuffman.contains(dc) { return .corrupt("no DC Huffman table \(dc) (DHT) before the scan") }
      if needsAC && !acHuffman.contains(ac) { return .corrupt("no AC Huffman table \(ac) (DHT) before the scan") }
      if (needsDC && bogusHuffman.contains(dc)) || (needsAC && bogusHuffman.contains(0x10 | ac)) {
        return .corrupt("the scan uses a Huffman table (DHT) whose code lengths make no valid code")
      }
    }
    return frameMarker == 0xC2 ? progressionProblem(body, count: count) : nil
  }

  /// A progressive scan's spectral selection and successive approximation, checked as libjpeg
  /// does before decoding ("Invalid progressive parameters"): decoders refuse the file.
  func progressionProblem(_ body: UnsafeRawBufferPointer, count: Int) -> ContentProblem? {
    let start = Int(body[1 + 2 * count])
    let end = Int(body[2 + 2 * count])
    let high = Int(body[3 + 2 * count] >> 4)
    let low = Int(body[3 + 2 * count] & 0x0F)
    let band = start == 0 ? end == 0 : start <= end && end < 64 && count == 1
    guard band, high == 0 || low == high - 1, low <= 13 else {
      return .corrupt(
        "a progressive scan has invalid parameters (Ss \(start), Se \(end), Ah \(high), Al \(low)) that decoders refuse"
      )
    }
    return nil
  }

  /// Whether `counts` (codes of length 1–16) make a prefix code that leaves the all-ones code
  /// free, as T.81 requires and libjpeg checks; a DC table's symbols are bit counts (≤ 15, or
  /// 16 for 12-bit lossless, which is refused elsewhere).
  static func isBuildable(_ counts: UnsafeRawBufferPointer, symbols: UnsafeRawBufferPointer, dc: Bool) -> Bool {
    var code = 0
    for (index, count) in counts.enumerated() {
      code += Int(count)
      if code >= 1 << (index + 1) { return false }
      code <<= 1
    }
    return !dc || symbols.allSatisfy { $0 <= 15 }
  }
}

extension JPEGTables {
  /// Reads the segments that carry frame, tables and scans; others are not its business.
  mutating func read(_ marker: UInt8, _ body: UnsafeRawBufferPointer) -> ContentProblem? {
    switch marker {
    case 0xDB: readQuantization(body)
    case 0xC4: readHuffman(body)
    case 0xDA: readScan(body)
    case 0xCC: nil  // arithmetic conditioning tables: the frame marker already refuses the file
    case _ where Self.frameMarkers.contains(marker): readFrame(marker, body)
    default: nil
    }
  }
}
