import CByteScan
import Inflate
import Magic

#if canImport(Glibc)
  import Glibc
#endif

enum JPEGParser {
  /// `feed`: the upload's digests, fed ahead of the scan through entropy-coded data (none: the
  /// caller hashes).
  static func inspect(_ bytes: UnsafeRawBufferPointer, limits: ParseLimits, feed: DigestFeed? = nil) -> ContentFacts {
    var facts = ContentFacts()
    guard bytes.count >= 4, bytes[0] == 0xFF, bytes[1] == 0xD8 else {
      facts.problems.append(.corrupt("no JPEG start marker"))
      return facts
    }
    var offset = 2
    var declarations = JPEGTrailerDeclarations()
    var end: Int?
    var tables = JPEGTables()
    scanning: while offset + 2 <= bytes.count {
      if bytes[offset] != 0xFF {
        switch skipExtraneous(bytes, at: offset) {
        case .success(let next): offset = next
        case .failure(let problem):
          facts.problems.append(problem.problem)
          return facts
        }
        continue
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
      if let problem = tables.read(marker, body) {
        facts.problems.append(problem)
        if case .corrupt = problem { return facts }
        break scanning
      }
      if marker == 0xE2, body.starts(with: Array("MPF\0".utf8)) { declarations.readMPF(body, bodyOffset: offset + 4) }
      if marker == 0xE1, body.starts(with: Array("http://ns.adobe.com/xap/1.0/".utf8)) { declarations.readXMP(body) }
      if marker == 0xE1, body.starts(with: Array("Exif\0\0".utf8)) {
        declarations.readExif(body, bodyOffset: offset + 4)
      }
      offset += 2 + length
      if marker == 0xDA { offset = entropyEnd(bytes, from: offset, feed: feed) }
    }
    if let problem = imageProblem(tables, facts: &facts, limits: limits) {
      facts.problems.append(problem)
      return facts
    }
    if !facts.problems.isEmpty { return facts }
    guard let end else {
      facts.problems.append(.corrupt("no end-of-image marker: the photo was cut short"))
      return facts
    }
    if let problem = trailerProblem(bytes, end: end, declarations: declarations) {
      facts.problems.append(problem)
    }
    return facts
  }

  /// Where a scan's entropy-coded data starting at `start` ends: at the next marker that is not
  /// a stuffed 0x00, a restart or a fill byte; at the end of the file when no 0xFF follows; where
  /// the data last went on when the file's last byte is a lone 0xFF (the segment walk then finds
  /// no marker there). With a `feed`, only bytes already hashed are searched, a step at a time.
  static func entropyEnd(_ bytes: UnsafeRawBufferPointer, from start: Int, feed: DigestFeed?) -> Int {
    guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), start < bytes.count else {
      return bytes.count
    }
    var searched = start
    while searched < bytes.count {
      feed?.through(searched + 1)
      let limit = feed?.fed ?? bytes.count
      let found = portfolio_jpeg_marker(base, bytes.count, searched, limit)
      if found < limit { return found }
      searched = limit
    }
    // No marker: the data runs to the end, unless the last byte is a lone 0xFF, where the data
    // went on after the 0xFF before it (or from the start).
    guard bytes[bytes.count - 1] == 0xFF else { return bytes.count }
    return bytes[start..<(bytes.count - 1)].lastIndex(of: 0xFF).map { $0 + 1 } ?? start
  }

  struct Refusal: Error {
    let problem: ContentProblem
  }

  /// Bytes between segments: libjpeg skips them to the next marker ("N extraneous bytes before
  /// marker") and so does every decoder; only a hidden format there is refused. FF 00 is no
  /// marker either. Returns where the next marker is.
  static func skipExtraneous(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> Result<Int, Refusal> {
    guard let next = bytes.index(of: 0xFF, from: offset) else {
      return .failure(Refusal(problem: .corrupt("broken segment structure at byte \(offset): no marker follows")))
    }
    let junk = bytes.slice(offset..<next)
    if let hidden = TrailingBytes.formatAtStart(junk) ?? TrailingBytes.provenFormat(junk) {
      return .failure(Refusal(problem: .polyglot("\(hidden) between the JPEG's segments at byte \(offset)")))
    }
    return .success(next + 1 < bytes.count && bytes[next + 1] == 0x00 ? next + 2 : next)
  }

  /// After the segments: the frame's size, a scan, and the pixel cap.
  static func imageProblem(_ tables: JPEGTables, facts: inout ContentFacts, limits: ParseLimits) -> ContentProblem? {
    if tables.frameMarker != nil {
      facts.width = tables.width
      facts.height = tables.height
    }
    if !facts.problems.isEmpty { return nil }
    guard tables.frameMarker != nil, tables.scans > 0 else {
      return .corrupt(tables.frameMarker == nil ? "no frame header (SOF)" : "no image data (SOS)")
    }
    guard tables.width * tables.height <= limits.maxPixels else {
      return .corrupt("too many pixels: \(tables.width) × \(tables.height) is over \(limits.maxPixels)")
    }
    return nil
  }
}
