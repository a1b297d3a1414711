/// What one `trak` says: its handler, time scale, sample entry (codec) and sample count.
struct MP4Track {
  var id: UInt32 = 0
  var handler = ""
  var timescale: UInt32 = 0
  var codec = ""
  /// MPEG-4 audio: the object type of the decoder config, and the audio object type.
  var objectType: UInt8?
  var audioObjectType: Int?
  /// The protection scheme of an encrypted sample entry (`encv`/`enca`), e.g. `cenc`.
  var protection: String?
  var samples = 0
  /// Why the sample-size table cannot be true (more samples than its box or the file holds).
  var sampleTableProblem: String?

  var isVideo: Bool { handler == "vide" }
  var isAudio: Bool { handler == "soun" }

  static let videoCodecs: Set<String> = ["avc1", "avc3", "hvc1", "hev1", "av01", "vp09"]
  static let audioCodecs: Set<String> = ["mp4a", ".mp3", "Opus", "fLaC"]
  /// MPEG-4 object types of `mp4a` that browsers play: AAC (0x40, 0x66–0x68 MPEG-2 AAC) and MP3.
  static let playableObjectTypes: Set<UInt8> = [0x40, 0x66, 0x67, 0x68, 0x69, 0x6B]
  /// AAC audio object types browsers decode: Main, LC, SSR, LTP, SBR (HE-AAC), PS (HE-AAC v2).
  static let playableAudioObjectTypes: Set<Int> = [1, 2, 3, 4, 5, 29]

  /// What the codec is, when browsers cannot play it.
  var unplayable: String? {
    if isVideo { return Self.videoCodecs.contains(codec) ? nil : Self.describe(codec) }
    guard isAudio else { return nil }
    guard Self.audioCodecs.contains(codec) else { return Self.describe(codec) }
    guard codec == "mp4a" else { return nil }
    if let objectType, !Self.playableObjectTypes.contains(objectType) {
      return "MPEG-4 audio of object type 0x\(String(objectType, radix: 16, uppercase: true))"
    }
    if objectType == 0x40, let kind = audioObjectType, !Self.playableAudioObjectTypes.contains(kind) {
      return switch kind {
      case 42: "USAC (xHE-AAC) audio"
      case 36: "MPEG-4 ALS lossless audio"
      default: "MPEG-4 audio object type \(kind)"
      }
    }
    return nil
  }

  static func describe(_ codec: String) -> String {
    let names: [String: String] = [
      "ac-3": "AC-3 (Dolby Digital) audio", "ec-3": "E-AC-3 (Dolby Digital Plus) audio", "ac-4": "AC-4 audio",
      "dtsc": "DTS audio", "dtsh": "DTS-HD audio", "dtsl": "DTS-HD lossless audio", "dtse": "DTS Express audio",
      "lpcm": "PCM audio", "sowt": "PCM audio", "twos": "PCM audio", "ipcm": "PCM audio", "fpcm": "PCM audio",
      "alac": "Apple Lossless (ALAC) audio", "mp4v": "MPEG-4 Part 2 video", "s263": "H.263 video",
      "mha1": "MPEG-H audio", "mhm1": "MPEG-H audio", "vvc1": "VVC (H.266) video", "vvi1": "VVC (H.266) video",
      "samr": "AMR audio", "sawb": "AMR-WB audio", "jpeg": "Motion JPEG video", "mjp2": "Motion JPEG 2000 video",
      "apch": "Apple ProRes video", "apcn": "Apple ProRes video", "mp4s": "an MPEG-4 systems stream",
    ]
    return names[codec] ?? "the codec \"\(codec)\""
  }

  /// Reads the boxes of the `trak` at `index`.
  static func read(_ tree: MP4BoxTree, _ index: Int, _ bytes: UnsafeRawBufferPointer) -> MP4Track {
    var track = MP4Track()
    if let header = tree.first("tkhd", in: index) {
      let body = bytes.slice(tree.boxes[header].body..<tree.boxes[header].end)
      let at = body.count > 0 && body[0] == 1 ? 20 : 12
      if body.count >= at + 4 { track.id = body.bigEndian32(at) }
    }
    guard let media = tree.first("mdia", in: index) else { return track }
    if let header = tree.first("mdhd", in: media) {
      let body = bytes.slice(tree.boxes[header].body..<tree.boxes[header].end)
      let at = body.count > 0 && body[0] == 1 ? 20 : 12
      if body.count >= at + 4 { track.timescale = body.bigEndian32(at) }
    }
    if let handler = tree.first("hdlr", in: media), tree.boxes[handler].body + 12 <= tree.boxes[handler].end {
      track.handler = MP4BoxTree.fourCC(bytes, tree.boxes[handler].body + 8)
    }
    guard let info = tree.first("minf", in: media), let table = tree.first("stbl", in: info) else { return track }
    if let sizes = tree.first("stsz", in: table) ?? tree.first("stz2", in: table) {
      let body = bytes.slice(tree.boxes[sizes].body..<tree.boxes[sizes].end)
      if body.count >= 12 {
        track.samples = Int(body.bigEndian32(8))
        track.sampleTableProblem = Self.sampleSizeProblem(
          body, compact: tree.boxes[sizes].type == "stz2", fileBytes: bytes.count)
      }
    }
    if let description = tree.first("stsd", in: table) {
      track.readSampleEntry(bytes.slice(tree.boxes[description].body..<tree.boxes[description].end))
    }
    return track
  }

  /// A sample count its table cannot hold: `stsz` lists one 4-byte size per sample unless all
  /// samples share one size (then count × size must fit in the file); `stz2` packs 4, 8 or 16
  /// bits per sample. ffmpeg refuses such a file ("Invalid data found").
  static func sampleSizeProblem(_ body: UnsafeRawBufferPointer, compact: Bool, fileBytes: Int) -> String? {
    let count = Int(body.bigEndian32(8))
    let table = body.count - 12
    if compact {
      let field = Int(body[7])
      guard [4, 8, 16].contains(field) else { return "stz2 has a field size of \(field) bits" }
      guard count <= table * 8 / field else {
        return "stz2 claims \(count) samples but its table holds \(table * 8 / field)"
      }
      return nil
    }
    let constant = Int(body.bigEndian32(4))
    if constant == 0 {
      guard count <= table / 4 else { return "stsz claims \(count) samples but its table holds \(table / 4)" }
      return nil
    }
    let (total, overflow) = count.multipliedReportingOverflow(by: constant)
    guard !overflow, total <= fileBytes else {
      return "stsz claims \(count) samples of \(constant) bytes, more than the file's \(fileBytes) bytes"
    }
    return nil
  }

  /// The first sample entry of an `stsd` body: its format, and for encrypted or MPEG-4 audio
  /// entries the boxes that say what is inside.
  mutating func readSampleEntry(_ body: UnsafeRawBufferPointer) {
    guard body.count >= 16 else { return }
    let size = Int(body.bigEndian32(8))
    guard size >= 8, size <= body.count - 8 else { return }
    let entry = body.slice(8..<(8 + size))
    codec = MP4BoxTree.fourCC(entry, 4)
    // Children follow the fixed fields: 78 bytes for visual entries, 28 (+16/+36) for audio.
    var fields = isVideo ? 86 : 36
    if isAudio, entry.count >= 18 {
      let version = entry.bigEndian16(16)
      fields += version == 1 ? 16 : version == 2 ? 36 : 0
    }
    guard fields < entry.count else { return }
    let children = MP4BoxTree(entry.slice(fields..<entry.count))
    if codec == "encv" || codec == "enca" {
      protection = "encrypted samples (\(codec))"
      if let sinf = children.first("sinf", in: nil) {
        if let format = children.first("frma", in: sinf), children.boxes[format].body + 4 <= children.boxes[format].end
        {
          codec = MP4BoxTree.fourCC(entry, fields + children.boxes[format].body)
        }
        if let scheme = children.first("schm", in: sinf), children.boxes[scheme].body + 8 <= children.boxes[scheme].end
        {
          protection = "the \(MP4BoxTree.fourCC(entry, fields + children.boxes[scheme].body + 4)) protection scheme"
        }
      }
    }
    if codec == "mp4a", let esds = children.first("esds", in: nil) {
      let box = children.boxes[esds]
      readDecoderConfig(entry.slice((fields + box.body)..<(fields + box.end)))
    }
  }
}

extension MP4Track {
  /// The `esds` descriptors (ISO 14496-1): ES_Descriptor → DecoderConfigDescriptor (object
  /// type) → DecoderSpecificInfo (the AAC audio object type in its first bits).
  mutating func readDecoderConfig(_ esds: UnsafeRawBufferPointer) {
    var at = 4  // version and flags
    guard let (tag, length, body) = Self.descriptor(esds, &at), tag == 0x03, length >= 3 else { return }
    var inner = body + 3
    let flags = esds[body + 2]
    if flags & 0x80 != 0 { inner += 2 }
    if flags & 0x40 != 0, inner < esds.count { inner += 1 + Int(esds[inner]) }
    if flags & 0x20 != 0 { inner += 2 }
    guard let (configTag, configLength, config) = Self.descriptor(esds, &inner), configTag == 0x04, configLength >= 13
    else { return }
    objectType = esds[config]
    var specific = config + 13
    guard let (infoTag, infoLength, info) = Self.descriptor(esds, &specific), infoTag == 0x05, infoLength >= 1 else {
      return
    }
    var kind = Int(esds[info] >> 3)
    if kind == 31, infoLength >= 2 { kind = 32 + Int((esds[info] & 0x07) << 3 | esds[info + 1] >> 5) }
    audioObjectType = kind
  }

  /// A descriptor at `at`: its tag, length (up to four 7-bit bytes) and body offset; moves `at`
  /// past the header. `nil` when it does not fit.
  static func descriptor(_ bytes: UnsafeRawBufferPointer, _ at: inout Int) -> (UInt8, Int, Int)? {
    guard at < bytes.count else { return nil }
    let tag = bytes[at]
    at += 1
    var length = 0
    for _ in 0..<4 {
      guard at < bytes.count else { return nil }
      let byte = bytes[at]
      at += 1
      length = length << 7 | Int(byte & 0x7F)
      if byte & 0x80 == 0 { break }
    }
    guard length <= bytes.count - at else { return nil }
    return (tag, length, at)
  }
}
