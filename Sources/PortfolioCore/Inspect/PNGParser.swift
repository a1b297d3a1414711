import Inflate
import Magic

#if canImport(Glibc)
  import Glibc
#endif

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
      if let problem = TrailingBytes.problem(tail, after: "the PNG's IEND") { facts.problems.append(problem) }
    }
    return facts
  }
}
