import Inflate
import Magic

#if canImport(Glibc)
  import Glibc
#endif

enum JPEGParser {
  /// What phones and cameras put after the end-of-image marker, when the file declares it, is
  /// accepted: secondary images of an MPF index (HDR gain maps, depth maps), a motion photo's
  /// video declared in XMP, Samsung's `SEFT` trailer. Another JPEG nothing declares (a preview)
  /// is `trailing-data`; anything else goes to `TrailingBytes`.
  static func trailer(_ tail: UnsafeRawBufferPointer, multiPicture: Bool, motionPhoto: Bool) -> ContentProblem? {
    guard !tail.isEmpty, !tail.allSatisfy({ $0 == 0 || $0 == 0xFF }) else { return nil }
    let appendedJPEG = tail.count > 2 && tail[0] == 0xFF && tail[1] == 0xD8
    if appendedJPEG && multiPicture { return nil }
    let video =
      tail.count > 12 && ByteSearch.firstIndex(of: Array("ftyp".utf8), in: tail.slice(0..<min(tail.count, 64))) != nil
    if motionPhoto && (video || appendedJPEG) { return nil }
    if tail.count >= 4, tail.slice((tail.count - 4)..<tail.count).elementsEqual(Array("SEFT".utf8)) { return nil }
    if appendedJPEG { return .trailingData("another JPEG image (\(tail.count) bytes) after the end-of-image marker") }
    return TrailingBytes.problem(tail, after: "the JPEG's end-of-image marker")
  }

  static func inspect(_ bytes: UnsafeRawBufferPointer, limits: ParseLimits) -> ContentFacts {
    var facts = ContentFacts()
    guard bytes.count >= 4, bytes[0] == 0xFF, bytes[1] == 0xD8 else {
      facts.problems.append(.corrupt("no JPEG start marker"))
      return facts
    }
    var offset = 2
    var multiPicture = false
    var motionPhoto = false
    var end: Int?
    var tables = JPEGTables()
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
      if let problem = tables.read(marker, body) {
        facts.problems.append(problem)
        if case .corrupt = problem { return facts }
        break scanning
      }
      if marker == 0xE2, body.starts(with: Array("MPF\0".utf8)) { multiPicture = true }
      if marker == 0xE1, body.starts(with: Array("http://ns.adobe.com/xap/1.0/".utf8)),
        ["GCamera:MicroVideoOffset", "Container:Directory", "MotionPhoto"].contains(where: {
          ByteSearch.firstIndex(of: Array($0.utf8), in: body) != nil
        })
      {
        motionPhoto = true
      }
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
    if let problem = imageProblem(tables, facts: &facts, limits: limits) {
      facts.problems.append(problem)
      return facts
    }
    if !facts.problems.isEmpty { return facts }
    guard let end else {
      facts.problems.append(.corrupt("no end-of-image marker: the photo was cut short"))
      return facts
    }
    let tail = bytes.slice(end..<bytes.count)
    if let problem = trailer(tail, multiPicture: multiPicture, motionPhoto: motionPhoto) {
      facts.problems.append(problem)
    }
    return facts
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
