import Inflate
import LibDeflate

/// PNG: chunks with their CRCs, the `IHDR` fields as the PNG specification pairs them, and the
/// zlib stream of the `IDAT` chunks inflated (streaming, keeping nothing) to check it yields
/// exactly the bytes the header implies.
enum PNGParser {
  static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
  /// The bit depths each colour type allows, and its samples per pixel.
  static let colourTypes: [UInt8: (depths: Set<UInt8>, samples: Int)] = [
    0: ([1, 2, 4, 8, 16], 1), 2: ([8, 16], 3), 3: ([1, 2, 4, 8], 1), 4: ([8, 16], 2), 6: ([8, 16], 4),
  ]
  /// Adam7: x start, y start, x step, y step of each pass.
  static let adam7: [(Int, Int, Int, Int)] = [
    (0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2),
  ]

  struct Header {
    var width: Int
    var height: Int
    var bitsPerPixel: Int
    var interlaced: Bool
  }

  static func inspect(_ bytes: UnsafeRawBufferPointer, limits: ParseLimits, inflater: ZlibDecompressor? = nil)
    -> ContentFacts
  {
    var facts = ContentFacts()
    guard bytes.count >= 8, bytes.slice(0..<8).elementsEqual(signature) else {
      facts.problems.append(.corrupt("no PNG signature"))
      return facts
    }
    var offset = 8
    var header: Header?
    var data: [UnsafeRawBufferPointer] = []
    var sawEnd = false
    while offset + 12 <= bytes.count {
      let length = Int(bytes.bigEndian32(offset))
      let type = String(decoding: bytes.slice((offset + 4)..<(offset + 8)), as: UTF8.self)
      guard length <= bytes.count - offset - 12 else {
        facts.problems.append(.corrupt("chunk \(type) runs past the end of the file (cut short)"))
        return facts
      }
      let body = bytes.slice((offset + 8)..<(offset + 8 + length))
      if bytes.bigEndian32(offset + 8 + length) != deflateCRC32(bytes.slice((offset + 4)..<(offset + 8 + length))) {
        facts.problems.append(.corrupt("CRC error in chunk \(type) at byte \(offset)"))
        return facts
      }
      if offset == 8 {
        guard type == "IHDR" else {
          facts.problems.append(.corrupt("the first chunk is \(type), not IHDR"))
          return facts
        }
        switch readHeader(body) {
        case .success(let value):
          header = value
          facts.width = value.width
          facts.height = value.height
        case .failure(let reason):
          facts.problems.append(.corrupt(reason.text))
          return facts
        }
      }
      if type == "IDAT" { data.append(body) }
      offset += 12 + length
      if type == "IEND" {
        sawEnd = true
        break
      }
    }
    guard let header else {
      facts.problems.append(.corrupt("no IHDR chunk"))
      return facts
    }
    guard header.width * header.height <= limits.maxPixels else {
      facts.problems.append(
        .corrupt("too many pixels: \(header.width) × \(header.height) is over \(limits.maxPixels)"))
      return facts
    }
    guard sawEnd else {
      facts.problems.append(.corrupt("no IEND chunk: the image was cut short"))
      return facts
    }
    if let problem = imageDataProblem(data, header: header, inflater: inflater) {
      facts.problems.append(.corrupt(problem))
      return facts
    }
    let tail = bytes.slice(offset..<bytes.count)
    if !tail.isEmpty && !tail.allSatisfy({ $0 == 0 }) {
      if let problem = TrailingBytes.problem(tail, after: "the PNG's IEND") { facts.problems.append(problem) }
    }
    return facts
  }

  struct Reason: Error {
    let text: String
  }

  static func readHeader(_ body: UnsafeRawBufferPointer) -> Result<Header, Reason> {
    guard body.count == 13 else { return .failure(Reason(text: "IHDR is \(body.count) bytes, not 13")) }
    let width = Int(body.bigEndian32(0))
    let height = Int(body.bigEndian32(4))
    let depth = body[8]
    let colour = body[9]
    guard width > 0, height > 0, width <= Int(Int32.max), height <= Int(Int32.max) else {
      return .failure(Reason(text: "IHDR says \(width) × \(height) pixels (each must be 1 to 2³¹−1)"))
    }
    guard let type = colourTypes[colour], type.depths.contains(depth) else {
      return .failure(
        Reason(text: "IHDR pairs bit depth \(depth) with colour type \(colour), which PNG does not allow"))
    }
    guard body[10] == 0, body[11] == 0, body[12] <= 1 else {
      return .failure(
        Reason(text: "IHDR compression/filter/interlace are \(body[10])/\(body[11])/\(body[12]), not 0/0/0–1"))
    }
    return .success(
      Header(width: width, height: height, bitsPerPixel: Int(depth) * type.samples, interlaced: body[12] == 1))
  }

  /// The bytes the header implies: per row a filter byte and the packed samples, per pass.
  static func expectedSize(_ header: Header) -> Int {
    func size(_ width: Int, _ height: Int) -> Int {
      guard width > 0, height > 0 else { return 0 }
      return height * (1 + (width * header.bitsPerPixel + 7) / 8)
    }
    guard header.interlaced else { return size(header.width, header.height) }
    return adam7.reduce(0) { total, pass in
      let (x0, y0, dx, dy) = pass
      let width = header.width > x0 ? (header.width - x0 + dx - 1) / dx : 0
      let height = header.height > y0 ? (header.height - y0 + dy - 1) / dy : 0
      return total + size(width, height)
    }
  }

  /// Images whose pixel data is at most this size are inflated whole by libdeflate.
  static let fastInflateLimit = 32 * 1024 * 1024

  /// libdeflate on the IDAT data (joined by the decompressor when it spans several chunks).
  static func fastInflate(_ data: [UnsafeRawBufferPointer], expected: Int, inflater: ZlibDecompressor?)
    -> ZlibBuffer.Outcome
  {
    guard let inflater = inflater ?? ZlibDecompressor() else { return .invalid }
    return inflater.decompress(data, room: expected + 1)
  }

  static func imageDataProblem(_ data: [UnsafeRawBufferPointer], header: Header, inflater: ZlibDecompressor? = nil)
    -> String?
  {
    guard !data.isEmpty else { return "no IDAT chunk: the image has no pixel data" }
    let expected = expectedSize(header)
    // The common case, fast: the whole stream into a buffer of the size the header implies
    // (bounded); any other answer goes to zlib's streaming inflate below, which says how it went wrong.
    if expected <= fastInflateLimit {
      switch fastInflate(data, expected: expected, inflater: inflater) {
      case .ended(let produced, _) where produced == expected: return nil
      case .ended(let produced, _) where produced < expected:
        return "the image data ends early: \(produced) of \(expected) bytes (the image was cut short)"
      // libdeflate reads a cut stream on as zeros, so "more than the room" may be a cut: zlib decides.
      case .ended, .moreThan, .invalid: break
      }
    }
    switch Inflate.count(data, maxOutput: expected) {
    case .failure(let failure):
      if case .corrupt(let message) = failure { return "the image data does not inflate (zlib: \(message))" }
      return "the image data does not inflate"
    case .success(let count):
      if count.produced > expected {
        return "the image data inflates to more than the \(expected) bytes the header implies"
      }
      if !count.ended || count.produced < expected {
        return "the image data ends early: \(count.produced) of \(expected) bytes (the image was cut short)"
      }
      return nil
    }
  }
}
