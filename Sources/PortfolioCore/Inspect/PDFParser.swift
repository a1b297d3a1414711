import Inflate
import Magic

#if canImport(Glibc)
  import Glibc
#endif

enum PDFParser {
  static let linkActions: Set<String> = ["URI", "Launch", "GoToR", "JavaScript"]
  /// The most we inflate from one object stream.
  static let maxInflated = 16 * 1024 * 1024

  static func inspect(_ bytes: UnsafeRawBufferPointer) -> ContentFacts {
    var facts = ContentFacts()
    guard ByteSearch.firstIndex(of: Array("%PDF-".utf8), in: bytes.slice(0..<1024)) != nil else {
      facts.problems.append(.corrupt("no %PDF- header"))
      return facts
    }
    // The end: startxref and %%EOF, then nothing but padding.
    if let eof = ByteSearch.lastIndex(of: Array("%%EOF".utf8), in: bytes) {
      let tail = bytes.slice((eof + 5)..<bytes.count)
      if !FormatParsers.isPadding(tail), TrailingBytes.formatAtStart(tail) == nil, isCutUpdate(tail) {
        facts.problems.append(
          .corrupt("an incremental update after the last %%EOF was cut off: the upload was interrupted"))
      } else if let problem = TrailingBytes.problem(tail, after: "the PDF's end (%%EOF)") {
        facts.problems.append(problem)
      }
      if ByteSearch.lastIndex(of: Array("startxref".utf8), in: bytes.slice(0..<eof)) == nil {
        facts.problems.append(.corrupt("no startxref before %%EOF"))
      }
    } else {
      facts.problems.append(.corrupt("no %%EOF: the file was cut short"))
    }
    var names = NameScan()
    names.scan(bytes)
    if names.found.contains("Encrypt") {
      facts.problems.append(.encrypted)
      return facts  // streams are encrypted: nothing more can be read
    }
    // Objects inside compressed object streams (PDF 1.5) are invisible to a raw scan.
    for stream in objectStreams(bytes) {
      if case .success(let inflated) = Inflate.zlib(stream, maxOutput: maxInflated) {
        inflated.withUnsafeBytes { names.scan($0) }
      }
    }
    let links = linkActions.intersection(names.found).sorted()
    if !links.isEmpty { facts.problems.append(.links(links.map { "/" + $0 })) }
    if names.found.contains("EmbeddedFile") || names.found.contains("EmbeddedFiles") {
      facts.problems.append(.embeddedFiles)
    }
    if names.pages > 0 { facts.pages = names.pages }
    return facts
  }

  /// Whether bytes after the last %%EOF are the start of another revision that never ended
  /// (objects, an xref table or a trailer without their own %%EOF): an interrupted save or upload.
  static func isCutUpdate(_ tail: UnsafeRawBufferPointer) -> Bool {
    let head = tail.slice(0..<min(tail.count, 4096))
    return ["obj", "endobj", "xref", "trailer", "startxref"].contains {
      ByteSearch.firstIndex(of: Array($0.utf8), in: head) != nil
    }
  }

  /// The raw data of every `/Type /ObjStm` stream with `/FlateDecode`.
  static func objectStreams(_ bytes: UnsafeRawBufferPointer) -> [UnsafeRawBufferPointer] {
    var streams: [UnsafeRawBufferPointer] = []
    var from = 0
    let marker = Array("/ObjStm".utf8)
    while let at = ByteSearch.firstIndex(of: marker, in: bytes, from: from) {
      from = at + marker.count
      guard let keyword = ByteSearch.firstIndex(of: Array("stream".utf8), in: bytes, from: from),
        keyword - at < 4096
      else { continue }
      let dictionary = bytes.slice(max(0, at - 2048)..<keyword)
      guard ByteSearch.firstIndex(of: Array("FlateDecode".utf8), in: dictionary) != nil else { continue }
      var start = keyword + 6
      if start < bytes.count, bytes[start] == 0x0D { start += 1 }
      if start < bytes.count, bytes[start] == 0x0A { start += 1 }
      let end = ByteSearch.firstIndex(of: Array("endstream".utf8), in: bytes, from: start) ?? bytes.count
      streams.append(bytes.slice(start..<end))
      from = end
    }
    return streams
  }

  /// Collects PDF name tokens (`/Name`, with `#xx` escapes decoded) and counts `/Type /Page`.
  /// Compares bytes, never building strings: a PDF holds hundreds of thousands of names.
  struct NameScan {
    var found: Set<String> = []
    var pages = 0
    static let interesting: [(bytes: [UInt8], name: String)] =
      (Array(linkActions) + ["Encrypt", "EmbeddedFile", "EmbeddedFiles", "JS"])
      .map { (Array($0.utf8), $0 == "JS" ? "JavaScript" : $0) }
    static let type = Array("Type".utf8)
    static let page = Array("Page".utf8)

    mutating func scan(_ bytes: UnsafeRawBufferPointer) {
      var index = 0
      var previousWasType = false
      let count = bytes.count
      var name = [UInt8]()
      name.reserveCapacity(64)
      while let slash = bytes.index(of: 0x2F, from: index) {  // "/"
        index = slash + 1
        name.removeAll(keepingCapacity: true)
        while index < count, name.count < 64 {
          let byte = bytes[index]
          if isDelimiter(byte) { break }
          if byte == 0x23, index + 2 < count, let high = hexValue(bytes[index + 1]),
            let low = hexValue(bytes[index + 2])
          {
            name.append(high << 4 | low)
            index += 3
          } else {
            name.append(byte)
            index += 1
          }
        }
        if name.count >= 2 && name.count <= 13 {
          for candidate in Self.interesting where candidate.bytes == name { found.insert(candidate.name) }
        }
        if previousWasType && name == Self.page { pages += 1 }
        previousWasType = name == Self.type
      }
    }

    private func isDelimiter(_ byte: UInt8) -> Bool {
      switch byte {
      case 0x00, 0x09, 0x0A, 0x0C, 0x0D, 0x20, 0x28, 0x29, 0x3C, 0x3E, 0x5B, 0x5D, 0x7B, 0x7D, 0x2F, 0x25: true
      default: false
      }
    }

    private func hexValue(_ byte: UInt8) -> UInt8? {
      switch byte {
      case 0x30...0x39: byte - 0x30
      case 0x41...0x46: byte - 0x37
      case 0x61...0x66: byte - 0x57
      default: nil
      }
    }
  }
}
