/// What the movie fragments (`moof`) of a fragmented MP4 hold: which tracks have samples in
/// them, and the sum of their sample durations per track (in the track's time scale).
struct MP4Fragments {
  var trackIDs: Set<UInt32> = []
  var durations: [UInt32: UInt64] = [:]

  init(_ tree: MP4BoxTree, movie: Int, _ bytes: UnsafeRawBufferPointer) {
    var trackDefaults: [UInt32: UInt32] = [:]
    if let extends = tree.first("mvex", in: movie) {
      for index in tree.children(of: extends, "trex") {
        let body = bytes.slice(tree.boxes[index].body..<tree.boxes[index].end)
        if body.count >= 16 { trackDefaults[body.bigEndian32(4)] = body.bigEndian32(12) }
      }
    }
    for fragment in tree.children(of: nil, "moof") {
      for trackFragment in tree.children(of: fragment, "traf") {
        guard let headerIndex = tree.first("tfhd", in: trackFragment) else { continue }
        let header = bytes.slice(tree.boxes[headerIndex].body..<tree.boxes[headerIndex].end)
        guard header.count >= 8 else { continue }
        let flags = header.bigEndian32(0) & 0x00FF_FFFF
        let track = header.bigEndian32(4)
        var at = 8
        if flags & 0x01 != 0 { at += 8 }
        if flags & 0x02 != 0 { at += 4 }
        var defaultDuration = trackDefaults[track] ?? 0
        if flags & 0x08 != 0, header.count >= at + 4 { defaultDuration = header.bigEndian32(at) }
        for runIndex in tree.children(of: trackFragment, "trun") {
          let run = bytes.slice(tree.boxes[runIndex].body..<tree.boxes[runIndex].end)
          guard let (samples, total) = Self.runDuration(run, defaultDuration: defaultDuration) else { continue }
          if samples > 0 { trackIDs.insert(track) }
          let (sum, overflow) = durations[track, default: 0].addingReportingOverflow(total)
          durations[track] = overflow ? UInt64.max : sum
        }
      }
    }
  }

  /// The sample count of a `trun` and the sum of its durations; `nil` when its entries do not fit.
  static func runDuration(_ run: UnsafeRawBufferPointer, defaultDuration: UInt32) -> (Int, UInt64)? {
    guard run.count >= 8 else { return nil }
    let flags = run.bigEndian32(0) & 0x00FF_FFFF
    let count = Int(run.bigEndian32(4))
    var at = 8
    if flags & 0x01 != 0 { at += 4 }
    if flags & 0x04 != 0 { at += 4 }
    let fields = [0x100, 0x200, 0x400, 0x800].filter { flags & UInt32($0) != 0 }.count
    let entry = fields * 4
    guard at <= run.count, entry == 0 || count <= (run.count - at) / entry else { return nil }
    guard flags & 0x100 != 0 else { return (count, UInt64(count) * UInt64(defaultDuration)) }
    var total: UInt64 = 0
    for sample in 0..<count {
      total += UInt64(run.bigEndian32(at + sample * entry))
    }
    return (count, total)
  }
}
