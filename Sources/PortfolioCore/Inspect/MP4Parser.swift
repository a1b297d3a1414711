/// MP4 (ISO-BMFF): the box tree (bounded), the brand, the tracks' sample entries (codecs and
/// encryption), the duration from `mvhd`, `mehd` or the fragments, and at least one track a
/// browser can play that has samples or fragments.
enum MP4Parser {
  static let advice = "請用轉檔程式（例如 HandBrake 或手機的影片編輯 App）轉成 H.264 影像、AAC 聲音的 MP4 後重新上傳。"

  static func inspect(_ bytes: UnsafeRawBufferPointer) -> ContentFacts {
    var facts = ContentFacts()
    let tree = MP4BoxTree(bytes)
    let top = tree.children(of: nil)
    guard let first = top.first, tree.boxes[first].type == "ftyp" else {
      facts.problems.append(
        .corrupt("the first box is \(top.first.map { tree.boxes[$0].type } ?? "missing"), not ftyp"))
      return facts
    }
    if let broken = tree.broken {
      facts.problems.append(.corrupt(broken))
      return facts
    }
    if let cut = tree.cutAt {
      let rest = bytes.slice(cut.offset..<bytes.count)
      if let hidden = TrailingBytes.formatAtStart(rest.slice(0..<min(rest.count, 64))) {
        facts.problems.append(.polyglot("\(hidden) after the video's last box"))
      } else if cut.offset + 8 > bytes.count {
        facts.problems.append(.corrupt("\(bytes.count - cut.offset) stray bytes at the end"))
      } else if cut.type != "mdat" || !MP4SampleTables.everySampleInside(tree, bytes) {
        let why = cut.type == "mdat" ? "; the sample tables point past it" : ""
        facts.problems.append(.corrupt("box \(cut.type) runs past the end of the file (cut short)\(why)"))
      }
      if !facts.problems.isEmpty { return facts }
    }
    if let problem = brandProblem(tree, first, bytes) {
      facts.problems.append(problem)
      return facts
    }
    guard let movie = tree.first("moov", in: nil) else {
      facts.problems.append(.corrupt("no moov box: the video cannot be played (recording interrupted?)"))
      return facts
    }
    let header = movieHeader(tree, movie, bytes)
    guard let header, header.timescale > 0 else {
      facts.problems.append(.corrupt(header == nil ? "no movie header (mvhd)" : "the movie header's timescale is 0"))
      return facts
    }
    let tracks = tree.children(of: movie, "trak").map { MP4Track.read(tree, $0, bytes) }
    let fragments = MP4Fragments(tree, movie: movie, bytes)
    if let problem = trackProblem(tracks, fragments: fragments) {
      facts.problems.append(problem)
      return facts
    }
    if let scheme = encryptionBeside(tree, movie: movie, bytes) {
      facts.problems.append(.drmProtected(scheme))
      return facts
    }
    if let missing = MP4SampleTables.bytesPastTheEnd(tree, movie: movie, bytes) {
      facts.problems.append(
        .corrupt("the sample tables point \(missing) bytes past the end of the file: part of the video is missing"))
      return facts
    }
    facts.durationSeconds = duration(
      header, tracks: tracks, fragments: fragments, tree: tree, movie: movie, bytes: bytes)
    return facts
  }

  /// Encryption boxes where the sample entries look clear: sample encryption (`senc`) in a
  /// fragment, a protection system header (`pssh`), or a track encryption box (`tenc`) inside the
  /// movie's sample descriptions. Players need a key to play such samples.
  static func encryptionBeside(_ tree: MP4BoxTree, movie: Int, _ bytes: UnsafeRawBufferPointer) -> String? {
    if let box = tree.boxes.first(where: { $0.type == "senc" || $0.type == "pssh" }) {
      return "encryption boxes (\(box.type)) although the sample entries are not marked encrypted"
    }
    let moov = bytes.slice(tree.boxes[movie].body..<tree.boxes[movie].end)
    var from = 0
    while let at = ByteSearch.firstIndex(of: Array("tenc".utf8), in: moov, from: from) {
      from = at + 1
      if at >= 4, (24...64).contains(moov.bigEndian32(at - 4)) {
        return "a track encryption box (tenc) although the sample entries are not marked encrypted"
      }
    }
    return nil
  }

  /// The major and compatible brands: 3GP, QuickTime and audio-only iTunes brands are not MP4 video.
  static func brandProblem(_ tree: MP4BoxTree, _ ftyp: Int, _ bytes: UnsafeRawBufferPointer) -> ContentProblem? {
    let box = tree.boxes[ftyp]
    guard box.body + 4 <= box.end else { return .corrupt("the ftyp box has no brand") }
    let major = MP4BoxTree.fourCC(bytes, box.body)
    if major == "M4P " { return .drmProtected("an iTunes protected audio file (M4P brand)") }
    let variant: UnsupportedContent? =
      if major.hasPrefix("3gp") || major.hasPrefix("3g2") || major == "kddi" {
        UnsupportedContent(en: "a 3GP phone video (\(major) brand)", zh: "3GP 手機影片", advice: advice)
      } else if major == "qt  " {
        UnsupportedContent(en: "a QuickTime movie (qt brand)", zh: "QuickTime（MOV）影片", advice: advice)
      } else if major == "M4A " || major == "M4B " {
        UnsupportedContent(
          en: "audio-only MP4 (\(major == "M4A " ? "M4A" : "M4B") brand)", zh: "M4A 錄音檔",
          advice: "請把錄音轉成 MP3 後重新上傳。")
      } else { nil }
    return variant.map { .unsupportedVariant($0) }
  }

  struct MovieHeader: Equatable {
    var timescale: UInt32
    var duration: UInt64
  }

  static func movieHeader(_ tree: MP4BoxTree, _ movie: Int, _ bytes: UnsafeRawBufferPointer) -> MovieHeader? {
    guard let index = tree.first("mvhd", in: movie) else { return nil }
    let body = bytes.slice(tree.boxes[index].body..<tree.boxes[index].end)
    guard body.count >= 20 else { return nil }
    if body[0] == 1 {
      guard body.count >= 32 else { return nil }
      return MovieHeader(
        timescale: body.bigEndian32(20), duration: UInt64(body.bigEndian32(24)) << 32 | UInt64(body.bigEndian32(28)))
    }
    return MovieHeader(timescale: body.bigEndian32(12), duration: UInt64(body.bigEndian32(16)))
  }

  /// Encrypted tracks are DRM; a video or audio codec browsers cannot play is refused by name;
  /// without a playable track that has samples or fragments there is nothing to play.
  static func trackProblem(_ tracks: [MP4Track], fragments: MP4Fragments) -> ContentProblem? {
    if let protected = tracks.first(where: { $0.protection != nil }), let scheme = protected.protection {
      return .drmProtected(scheme)
    }
    let media = tracks.filter { $0.isVideo || $0.isAudio }
    for track in media where track.timescale == 0 {
      return .corrupt("the \(track.isVideo ? "video" : "audio") track's timescale (mdhd) is 0")
    }
    if let broken = media.first(where: { $0.sampleTableProblem != nil }), let why = broken.sampleTableProblem {
      return .corrupt("the \(broken.isVideo ? "video" : "audio") track's sample table is impossible: \(why)")
    }
    if let bad = media.first(where: { $0.unplayable != nil }), let what = bad.unplayable {
      let zh = bad.isVideo ? "瀏覽器無法播放的影像編碼（\(what)）" : "瀏覽器無法播放的聲音編碼（\(what)）"
      return .unsupportedVariant(UnsupportedContent(en: what, zh: zh, advice: advice))
    }
    let playable = media.filter { $0.samples > 0 || fragments.trackIDs.contains($0.id) }
    if playable.isEmpty {
      return .corrupt(
        media.isEmpty ? "no video or audio track" : "no playable track: no samples and no fragments")
    }
    return nil
  }

  /// From `mvhd` when it has one, else from `mehd`, else from the fragments' sample durations.
  static func duration(
    _ header: MovieHeader, tracks: [MP4Track], fragments: MP4Fragments, tree: MP4BoxTree, movie: Int,
    bytes: UnsafeRawBufferPointer
  ) -> Double? {
    if header.duration > 0, header.duration != UInt64.max, header.duration != UInt64(UInt32.max) {
      return Double(header.duration) / Double(header.timescale)
    }
    if let extends = tree.first("mvex", in: movie), let index = tree.first("mehd", in: extends) {
      let body = bytes.slice(tree.boxes[index].body..<tree.boxes[index].end)
      let value: UInt64? =
        body.count >= 12 && body[0] == 1
        ? UInt64(body.bigEndian32(4)) << 32 | UInt64(body.bigEndian32(8))
        : body.count >= 8 ? UInt64(body.bigEndian32(4)) : nil
      if let value, value > 0 { return Double(value) / Double(header.timescale) }
    }
    let seconds = tracks.compactMap { track -> Double? in
      guard track.timescale > 0, let total = fragments.durations[track.id], total > 0 else { return nil }
      return Double(total) / Double(track.timescale)
    }
    return seconds.max()
  }
}
