import Inflate
import Magic

#if canImport(Glibc)
  import Glibc
#endif

/// What a file's own structures say about it, found in-process without external programs.
public struct ContentFacts: Codable, Sendable, Equatable {
  public var pages: Int?
  public var width: Int?
  public var height: Int?
  public var durationSeconds: Double?
  public var problems: [ContentProblem] = []

  public init() {}
}

/// A structural problem inside a file of an allowed type.
public enum ContentProblem: Codable, Sendable, Equatable {
  /// Truncated or structurally broken; the reason is for staff.
  case corrupt(String)
  /// A second format hidden in the file; the reason names it.
  case polyglot(String)
  /// A password-protected PDF.
  case encrypted
  /// PDF actions that make a document's content changeable (`/URI`, `/Launch`, `/GoToR`,
  /// `/JavaScript`).
  case links([String])
  /// A PDF with attached or embedded files.
  case embeddedFiles
}

/// Parsers for the five allowed formats. Each takes the whole file (files over the largest
/// limit are never parsed) and never trusts a length it reads.
enum FormatParsers {
  static func inspect(mime: String, _ bytes: UnsafeRawBufferPointer) -> ContentFacts {
    switch mime {
    case "application/pdf": PDFParser.inspect(bytes)
    case "image/png": PNGParser.inspect(bytes)
    case "image/jpeg": JPEGParser.inspect(bytes)
    case "video/mp4": MP4Parser.inspect(bytes)
    case "audio/mpeg": MP3Parser.inspect(bytes)
    default: ContentFacts()
    }
  }

  /// A known file signature inside `bytes`, for naming what a polyglot hides.
  static func hiddenFormat(_ bytes: UnsafeRawBufferPointer) -> String? {
    let signatures: [(String, [UInt8])] = [
      ("a ZIP archive", [0x50, 0x4B, 0x03, 0x04]), ("a PDF", Array("%PDF-".utf8)),
      ("a Windows executable", [0x4D, 0x5A]), ("a RAR archive", Array("Rar!".utf8)),
      ("a 7-Zip archive", [0x37, 0x7A, 0xBC, 0xAF]), ("HTML", Array("<html".utf8)),
      ("a script", Array("<script".utf8)),
    ]
    for (name, signature) in signatures where ByteSearch.firstIndex(of: signature, in: bytes) != nil {
      return name
    }
    return nil
  }

  static func isPadding(_ bytes: UnsafeRawBufferPointer) -> Bool {
    bytes.allSatisfy { $0 == 0 || $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
  }
}

/// Byte searching over raw buffers.
enum ByteSearch {
  static func firstIndex(of needle: [UInt8], in haystack: UnsafeRawBufferPointer, from start: Int = 0) -> Int? {
    guard !needle.isEmpty, haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
    let first = needle[0]
    var index = start
    let last = haystack.count - needle.count
    while index <= last {
      if haystack[index] == first {
        var match = true
        for offset in 1..<needle.count where haystack[index + offset] != needle[offset] {
          match = false
          break
        }
        if match { return index }
      }
      index += 1
    }
    return nil
  }

  static func lastIndex(of needle: [UInt8], in haystack: UnsafeRawBufferPointer) -> Int? {
    guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
    var index = haystack.count - needle.count
    while index >= 0 {
      var match = true
      for offset in 0..<needle.count where haystack[index + offset] != needle[offset] {
        match = false
        break
      }
      if match { return index }
      index -= 1
    }
    return nil
  }
}

extension UnsafeRawBufferPointer {
  /// The index of the next `byte` at or after `from` (memchr), or `nil`.
  func index(of byte: UInt8, from: Int) -> Int? {
    guard from < count, let base = baseAddress else { return nil }
    guard let found = memchr(base + from, Int32(byte), count - from) else { return nil }
    return UnsafeRawPointer(found) - base
  }

  func slice(_ range: Range<Int>) -> UnsafeRawBufferPointer {
    UnsafeRawBufferPointer(rebasing: self[range.clamped(to: 0..<count)])
  }

  func bigEndian32(_ offset: Int) -> UInt32 {
    UInt32(self[offset]) << 24 | UInt32(self[offset + 1]) << 16 | UInt32(self[offset + 2]) << 8 | UInt32(self[offset + 3])
  }

  func bigEndian16(_ offset: Int) -> Int { Int(self[offset]) << 8 | Int(self[offset + 1]) }
}

// MARK: - PDF

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
      if !FormatParsers.isPadding(tail) {
        let hidden = FormatParsers.hiddenFormat(tail) ?? "\(tail.count) bytes of other data"
        facts.problems.append(.polyglot("\(hidden) after the PDF's end (%%EOF)"))
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
    static let interesting: [(bytes: [UInt8], name: String)] = (Array(linkActions) + ["Encrypt", "EmbeddedFile", "EmbeddedFiles", "JS"])
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
          if byte == 0x23, index + 2 < count, let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2]) {
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

// MARK: - PNG

enum PNGParser {
  static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

  static func inspect(_ bytes: UnsafeRawBufferPointer) -> ContentFacts {
    var facts = ContentFacts()
    guard bytes.count >= 8, bytes.slice(0..<8).elementsEqual(signature) else {
      facts.problems.append(.corrupt("no PNG signature"))
      return facts
    }
    var offset = 8
    var sawEnd = false
    while offset + 12 <= bytes.count {
      let length = Int(bytes.bigEndian32(offset))
      let type = String(decoding: bytes.slice((offset + 4)..<(offset + 8)), as: UTF8.self)
      guard length <= bytes.count - offset - 12 else {
        facts.problems.append(.corrupt("chunk \(type) runs past the end of the file (cut short)"))
        return facts
      }
      let stored = bytes.bigEndian32(offset + 8 + length)
      let computed = Inflate.crc32(bytes.slice((offset + 4)..<(offset + 8 + length)))
      if stored != computed {
        facts.problems.append(.corrupt("CRC error in chunk \(type) at byte \(offset)"))
        return facts
      }
      if type == "IHDR", length >= 8 {
        facts.width = Int(bytes.bigEndian32(offset + 8))
        facts.height = Int(bytes.bigEndian32(offset + 12))
      }
      offset += 12 + length
      if type == "IEND" {
        sawEnd = true
        break
      }
    }
    guard sawEnd else {
      facts.problems.append(.corrupt("no IEND chunk: the image was cut short"))
      return facts
    }
    let tail = bytes.slice(offset..<bytes.count)
    if !tail.isEmpty && !tail.allSatisfy({ $0 == 0 }) {
      let hidden = FormatParsers.hiddenFormat(tail) ?? "\(tail.count) bytes of other data"
      facts.problems.append(.polyglot("\(hidden) after the PNG's IEND"))
    }
    return facts
  }
}

// MARK: - JPEG

enum JPEGParser {
  static func inspect(_ bytes: UnsafeRawBufferPointer) -> ContentFacts {
    var facts = ContentFacts()
    guard bytes.count >= 4, bytes[0] == 0xFF, bytes[1] == 0xD8 else {
      facts.problems.append(.corrupt("no JPEG start marker"))
      return facts
    }
    var offset = 2
    var multiPicture = false
    var end: Int?
    scanning: while offset + 2 <= bytes.count {
      guard bytes[offset] == 0xFF else {
        facts.problems.append(.corrupt("broken segment structure at byte \(offset)"))
        return facts
      }
      let marker = bytes[offset + 1]
      switch marker {
      case 0xFF:
        offset += 1  // fill byte
        continue
      case 0xD8, 0x01, 0xD0...0xD7:
        offset += 2
        continue
      case 0xD9:
        end = offset + 2
        break scanning
      default: break
      }
      guard offset + 4 <= bytes.count else { break scanning }
      let length = bytes.bigEndian16(offset + 2)
      guard length >= 2, offset + 2 + length <= bytes.count else {
        facts.problems.append(.corrupt("segment at byte \(offset) runs past the end (cut short)"))
        return facts
      }
      let body = bytes.slice((offset + 4)..<(offset + 2 + length))
      if [0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF].contains(marker),
        body.count >= 5
      {
        facts.height = body.bigEndian16(1)
        facts.width = body.bigEndian16(3)
      }
      if marker == 0xE2, body.starts(with: Array("MPF\0".utf8)) { multiPicture = true }
      offset += 2 + length
      if marker == 0xDA {
        // Entropy-coded data: runs to the next marker that is not a stuffed 0x00 or a restart.
        while let marker = bytes.index(of: 0xFF, from: offset), marker + 1 < bytes.count {
          offset = marker
          let next = bytes[offset + 1]
          if next != 0x00 && !(0xD0...0xD7).contains(next) && next != 0xFF { break }
          offset += 1
        }
        if bytes.index(of: 0xFF, from: offset) == nil { offset = bytes.count }
      }
    }
    guard let end else {
      facts.problems.append(.corrupt("no end-of-image marker: the photo was cut short"))
      return facts
    }
    let tail = bytes.slice(end..<bytes.count)
    if !tail.isEmpty && !tail.allSatisfy({ $0 == 0 || $0 == 0xFF }) {
      // Phones (Multi-Picture Format: HDR gain maps, depth) append further JPEGs after EOI.
      let appendedJPEG = tail.count > 2 && tail[0] == 0xFF && tail[1] == 0xD8
      if !(multiPicture && appendedJPEG) || FormatParsers.hiddenFormat(tail) != nil {
        let hidden = FormatParsers.hiddenFormat(tail) ?? "\(tail.count) bytes of other data"
        facts.problems.append(.polyglot("\(hidden) after the JPEG's end-of-image marker"))
      }
    }
    return facts
  }
}

// MARK: - MP4

enum MP4Parser {
  static func inspect(_ bytes: UnsafeRawBufferPointer) -> ContentFacts {
    var facts = ContentFacts()
    var offset = 0
    var sawMovie = false
    var first = true
    while offset < bytes.count {
      guard offset + 8 <= bytes.count else {
        facts.problems.append(.corrupt("\(bytes.count - offset) stray bytes at the end"))
        return facts
      }
      var size = Int(bytes.bigEndian32(offset))
      let type = String(decoding: bytes.slice((offset + 4)..<(offset + 8)), as: UTF8.self)
      var header = 8
      if size == 1 {
        guard offset + 16 <= bytes.count else { break }
        let large = UInt64(bytes.bigEndian32(offset + 8)) << 32 | UInt64(bytes.bigEndian32(offset + 12))
        size = large > UInt64(Int.max) ? Int.max : Int(large)
        header = 16
      } else if size == 0 {
        size = bytes.count - offset
      }
      if first && type != "ftyp" {
        facts.problems.append(.corrupt("the first box is \(type), not ftyp"))
        return facts
      }
      first = false
      guard size >= header, size <= bytes.count - offset else {
        let rest = bytes.slice(offset..<bytes.count)
        if let hidden = FormatParsers.hiddenFormat(rest.slice(0..<8)) {
          facts.problems.append(.polyglot("\(hidden) after the video's last box"))
        } else {
          facts.problems.append(.corrupt("box \(type) runs past the end of the file (cut short)"))
        }
        return facts
      }
      if type == "moov" {
        sawMovie = true
        facts.durationSeconds = movieDuration(bytes.slice((offset + header)..<(offset + size)))
      }
      offset += size
    }
    if !sawMovie {
      facts.problems.append(.corrupt("no moov box: the video cannot be played (recording interrupted?)"))
    }
    return facts
  }

  /// Duration from `mvhd` inside `moov`.
  static func movieDuration(_ movie: UnsafeRawBufferPointer) -> Double? {
    var offset = 0
    while offset + 8 <= movie.count {
      let size = Int(movie.bigEndian32(offset))
      guard size >= 8, size <= movie.count - offset else { return nil }
      if movie.slice((offset + 4)..<(offset + 8)).elementsEqual(Array("mvhd".utf8)) {
        let body = movie.slice((offset + 8)..<(offset + size))
        guard body.count >= 20 else { return nil }
        if body[0] == 1 {
          guard body.count >= 32 else { return nil }
          let scale = body.bigEndian32(20)
          let duration = UInt64(body.bigEndian32(24)) << 32 | UInt64(body.bigEndian32(28))
          return scale > 0 ? Double(duration) / Double(scale) : nil
        }
        let scale = body.bigEndian32(12)
        let duration = body.bigEndian32(16)
        return scale > 0 ? Double(duration) / Double(scale) : nil
      }
      offset += size
    }
    return nil
  }
}

// MARK: - MP3

enum MP3Parser {
  struct Frame {
    let length: Int
    let samples: Int
    let sampleRate: Int
  }

  static let bitratesV1: [Int] = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 0]
  static let bitratesV2: [Int] = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, 0]

  /// A Layer III frame header at `offset`, or `nil`.
  static func frame(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> Frame? {
    guard offset + 4 <= bytes.count, bytes[offset] == 0xFF, bytes[offset + 1] & 0xE0 == 0xE0 else { return nil }
    let version = (bytes[offset + 1] >> 3) & 0x03  // 0: 2.5, 2: 2, 3: 1
    let layer = (bytes[offset + 1] >> 1) & 0x03  // 1: Layer III
    let bitrateIndex = Int(bytes[offset + 2] >> 4)
    let rateIndex = Int((bytes[offset + 2] >> 2) & 0x03)
    let padding = Int((bytes[offset + 2] >> 1) & 0x01)
    guard version != 1, layer == 1, rateIndex != 3 else { return nil }
    let mpeg1 = version == 3
    let bitrate = (mpeg1 ? bitratesV1 : bitratesV2)[bitrateIndex] * 1000
    guard bitrate > 0 else { return nil }
    let baseRates = [44100, 48000, 32000]
    let sampleRate = baseRates[rateIndex] / (mpeg1 ? 1 : (version == 2 ? 2 : 4))
    let samples = mpeg1 ? 1152 : 576
    let length = samples / 8 * bitrate / sampleRate + padding
    return length >= 4 ? Frame(length: length, samples: samples, sampleRate: sampleRate) : nil
  }

  static func inspect(_ bytes: UnsafeRawBufferPointer) -> ContentFacts {
    var facts = ContentFacts()
    var offset = 0
    while offset < bytes.count, let tag = MagicSniffer.id3v2TagLength(bytes.slice(offset..<bytes.count)) {
      offset += tag
    }
    guard offset < bytes.count else {
      facts.problems.append(.corrupt("an ID3 tag runs past the end of the file; no audio"))
      return facts
    }
    // Tolerate a little padding between the tag and the first frame.
    var searched = 0
    while offset < bytes.count, frame(bytes, at: offset) == nil, searched < 4096 {
      offset += 1
      searched += 1
    }
    guard let firstFrame = frame(bytes, at: offset),
      frame(bytes, at: offset + firstFrame.length) != nil || offset + firstFrame.length == bytes.count
    else {
      facts.problems.append(.corrupt("no valid MP3 audio frame"))
      return facts
    }
    var seconds = 0.0
    while let current = frame(bytes, at: offset), offset + current.length <= bytes.count {
      seconds += Double(current.samples) / Double(current.sampleRate)
      offset += current.length
    }
    facts.durationSeconds = seconds
    var tail = bytes.slice(offset..<bytes.count)
    // Trailing tags are normal: ID3v1 ("TAG", 128 bytes) and APEv2.
    if tail.count >= 128, bytes.slice((bytes.count - 128)..<(bytes.count - 125)).elementsEqual(Array("TAG".utf8)) {
      tail = tail.slice(0..<(tail.count - 128))
    }
    if ByteSearch.firstIndex(of: Array("APETAGEX".utf8), in: tail) != nil { return facts }
    if let hidden = FormatParsers.hiddenFormat(tail) {
      facts.problems.append(.polyglot("\(hidden) after the audio frames"))
    } else if tail.count > 4096 {
      facts.problems.append(.corrupt("\(tail.count) bytes that are not audio frames at the end"))
    }
    return facts
  }
}
