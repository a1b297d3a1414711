/// Where a track's samples lie, from its sample tables (`stco`/`co64` chunk offsets, `stsc`
/// samples per chunk, `stsz` sizes): used to accept an `mdat` whose declared size runs past the
/// end of the file when every sample is inside it (some recorders write the size they reserved).
/// Every count is bounded by its box's size and every sum is checked for overflow.
enum MP4SampleTables {
  /// The offset just past the track's last sample byte, or `nil` when its tables are missing
  /// or malformed.
  static func dataEnd(_ tree: MP4BoxTree, trak: Int, _ bytes: UnsafeRawBufferPointer) -> Int? {
    guard let media = tree.first("mdia", in: trak), let info = tree.first("minf", in: media),
      let table = tree.first("stbl", in: info), let sizes = tree.first("stsz", in: table),
      let chunks = tree.first("stsc", in: table)
    else { return nil }
    let offsetBox = tree.first("stco", in: table) ?? tree.first("co64", in: table)
    guard let offsetBox else { return nil }
    let wide = tree.boxes[offsetBox].type == "co64"
    guard let offsets = table32or64(tree.boxes[offsetBox], bytes, wide: wide),
      let runs = runsOfChunks(tree.boxes[chunks], bytes),
      let sampleSizes = sampleSizes(tree.boxes[sizes], bytes)
    else { return nil }
    var end = 0
    var sample = 0
    var run = 0
    for (index, offset) in offsets.enumerated() {
      let chunk = index + 1
      while run + 1 < runs.count, runs[run + 1].firstChunk <= chunk { run += 1 }
      let inChunk = min(runs[run].samplesPerChunk, sampleSizes.count - sample)
      var chunkEnd = offset
      if sampleSizes.constant != 0 {
        let (length, overflow) = inChunk.multipliedReportingOverflow(by: sampleSizes.constant)
        let (next, overflowEnd) = chunkEnd.addingReportingOverflow(length)
        guard !overflow, !overflowEnd else { return nil }
        chunkEnd = next
        sample += inChunk
      } else {
        // Bounded by the stsz table, which is inside the file.
        for _ in 0..<inChunk {
          let (next, overflow) = chunkEnd.addingReportingOverflow(sampleSizes.size(sample))
          guard !overflow else { return nil }
          chunkEnd = next
          sample += 1
        }
      }
      end = max(end, chunkEnd)
      if sample >= sampleSizes.count { break }
    }
    return sample == sampleSizes.count ? end : nil
  }

  struct Sizes {
    let constant: Int
    let count: Int
    let table: UnsafeRawBufferPointer
    func size(_ index: Int) -> Int { constant != 0 ? constant : Int(table.bigEndian32(index * 4)) }
  }

  static func sampleSizes(_ box: MP4Box, _ bytes: UnsafeRawBufferPointer) -> Sizes? {
    guard box.end - box.body >= 12 else { return nil }
    let constant = Int(bytes.bigEndian32(box.body + 4))
    let count = Int(bytes.bigEndian32(box.body + 8))
    let table = bytes.slice((box.body + 12)..<box.end)
    guard constant != 0 || count <= table.count / 4 else { return nil }
    return Sizes(constant: constant, count: count, table: table)
  }

  static func runsOfChunks(_ box: MP4Box, _ bytes: UnsafeRawBufferPointer) -> [(firstChunk: Int, samplesPerChunk: Int)]?
  {
    guard box.end - box.body >= 8 else { return nil }
    let count = Int(bytes.bigEndian32(box.body + 4))
    guard count >= 1, count <= (box.end - box.body - 8) / 12 else { return nil }
    return (0..<count).map { index in
      let at = box.body + 8 + index * 12
      return (Int(bytes.bigEndian32(at)), Int(bytes.bigEndian32(at + 4)))
    }
  }

  static func table32or64(_ box: MP4Box, _ bytes: UnsafeRawBufferPointer, wide: Bool) -> [Int]? {
    guard box.end - box.body >= 8 else { return nil }
    let count = Int(bytes.bigEndian32(box.body + 4))
    let width = wide ? 8 : 4
    guard count <= (box.end - box.body - 8) / width else { return nil }
    return (0..<count).map { index in
      let at = box.body + 8 + index * width
      guard wide else { return Int(bytes.bigEndian32(at)) }
      let value = UInt64(bytes.bigEndian32(at)) << 32 | UInt64(bytes.bigEndian32(at + 4))
      return value > UInt64(Int.max / 2) ? Int.max / 2 : Int(value)
    }
  }

  /// How far the furthest sample of any track lies past the end of the file (a video cut short
  /// whose box sizes were rewritten to match); `nil` when every sample is inside, or a track's
  /// tables cannot be read (other checks judge those).
  static func bytesPastTheEnd(_ tree: MP4BoxTree, movie: Int, _ bytes: UnsafeRawBufferPointer) -> Int? {
    let ends = tree.children(of: movie, "trak").compactMap { dataEnd(tree, trak: $0, bytes) }
    guard let furthest = ends.max(), furthest > bytes.count else { return nil }
    return furthest - bytes.count
  }

  /// Whether every track with samples has all of them inside the file.
  static func everySampleInside(_ tree: MP4BoxTree, _ bytes: UnsafeRawBufferPointer) -> Bool {
    guard let movie = tree.first("moov", in: nil) else { return false }
    let tracks = tree.children(of: movie, "trak")
    guard !tracks.isEmpty else { return false }
    return tracks.allSatisfy { trak in
      guard let end = dataEnd(tree, trak: trak, bytes) else { return false }
      return end <= bytes.count
    }
  }
}
