/// One ISO-BMFF box: where its body lies in the file and which box holds it.
struct MP4Box {
  let type: String
  /// Offset of the box header.
  let start: Int
  /// Offset of the body (after the size, type and any 64-bit size).
  let body: Int
  let end: Int
  /// Index of the enclosing box in `MP4BoxTree.boxes`, or `nil` at the top level.
  let parent: Int?
  let depth: Int
}

/// The boxes of a file, walked without recursion: the top level and, inside the container
/// boxes the spec defines, their children. Bounded by count and depth; every size is checked
/// against its parent before use.
struct MP4BoxTree {
  static let maxBoxes = 100_000
  static let maxDepth = 32
  static let containers: Set<String> = [
    "moov", "trak", "mdia", "minf", "stbl", "dinf", "edts", "mvex", "moof", "traf", "mfra", "sinf", "schi", "udta",
  ]

  var boxes: [MP4Box] = []
  /// Children of each box by index (-1 for the top level), in file order.
  private var childIndex: [Int: [Int]] = [:]
  /// Why the walk stopped, when the structure is broken.
  var broken: String?
  /// Where the top-level walk stopped when a box runs past the end of the file.
  var cutAt: (offset: Int, type: String)?

  init(_ bytes: UnsafeRawBufferPointer) {
    var pending: [(range: Range<Int>, parent: Int?, depth: Int)] = [(0..<bytes.count, nil, 0)]
    while let (range, parent, depth) = pending.popLast() {
      guard depth <= Self.maxDepth else {
        broken = "boxes nest deeper than \(Self.maxDepth) levels"
        return
      }
      var offset = range.lowerBound
      while offset < range.upperBound {
        guard boxes.count < Self.maxBoxes else {
          broken = "more than \(Self.maxBoxes) boxes"
          return
        }
        guard let box = Self.header(bytes, at: offset, limit: range.upperBound, parent: parent, depth: depth) else {
          if parent == nil {
            let type = offset + 8 <= bytes.count ? Self.fourCC(bytes, offset + 4) : "?"
            cutAt = (offset, type)
          } else {
            broken = "a box inside \(boxes[parent ?? 0].type) runs past its end"
          }
          break
        }
        boxes.append(box)
        childIndex[parent ?? -1, default: []].append(boxes.count - 1)
        if Self.containers.contains(box.type) {
          pending.append((box.body..<box.end, boxes.count - 1, depth + 1))
        }
        offset = box.end
      }
    }
  }

  /// The box header at `offset`, when it fits inside `limit`.
  static func header(
    _ bytes: UnsafeRawBufferPointer, at offset: Int, limit: Int, parent: Int?, depth: Int
  ) -> MP4Box? {
    guard offset <= limit - 8 else { return nil }
    let declared = UInt64(bytes.bigEndian32(offset))
    var size: UInt64 = declared
    var header = 8
    if declared == 1 {
      guard offset <= limit - 16 else { return nil }
      size = UInt64(bytes.bigEndian32(offset + 8)) << 32 | UInt64(bytes.bigEndian32(offset + 12))
      header = 16
    } else if declared == 0 {
      size = UInt64(limit - offset)
    }
    guard size >= UInt64(header), size <= UInt64(limit - offset) else { return nil }
    let end = offset + Int(size)
    return MP4Box(
      type: fourCC(bytes, offset + 4), start: offset, body: offset + header, end: end, parent: parent, depth: depth)
  }

  static func fourCC(_ bytes: UnsafeRawBufferPointer, _ offset: Int) -> String {
    String(decoding: bytes.slice(offset..<(offset + 4)).map { (0x20...0x7E).contains($0) ? $0 : 0x3F }, as: UTF8.self)
  }

  func children(of index: Int?, _ type: String? = nil) -> [Int] {
    let all = childIndex[index ?? -1] ?? []
    return type.map { wanted in all.filter { boxes[$0].type == wanted } } ?? all
  }

  func first(_ type: String, in index: Int?) -> Int? { children(of: index, type).first }
}
