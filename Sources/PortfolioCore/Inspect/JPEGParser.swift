import Inflate
import Magic

#if canImport(Glibc)
  import Glibc
#endif

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
