import Inflate
import Magic

#if canImport(Glibc)
  import Glibc
#endif

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
        if let hidden = TrailingBytes.formatAtStart(rest.slice(0..<min(rest.count, 64))) {
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
