import Inflate
import Magic

#if canImport(Glibc)
  import Glibc
#endif

enum MP3Parser {
  struct Frame {
    let length: Int
    /// Its samples over its sample rate: the frame's playing time.
    let seconds: Double
  }

  /// Kilobits per second by the header's bitrate index (0 and 15: no valid frame), MPEG-1 and
  /// MPEG-2/2.5 Layer III.
  static let bitratesV1: [Int] = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 0]
  static let bitratesV2: [Int] = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, 0]

  /// Every Layer III frame kind by its header's key (`key(_:_:)`): the frame without padding,
  /// or `nil` for a header no decoder plays. Looked up for every frame of every MP3, so the walk
  /// does no division.
  static let kinds: [Frame?] = (0..<1024).map { key in
    let version = (key >> 8) & 0x03  // 0: 2.5, 2: 2, 3: 1
    let layer = (key >> 6) & 0x03  // 1: Layer III
    let bitrateIndex = (key >> 2) & 0x0F
    let rateIndex = key & 0x03
    guard version != 1, layer == 1, rateIndex != 3, bitrateIndex != 0, bitrateIndex != 15 else { return nil }
    let mpeg1 = version == 3
    let bitrate = (mpeg1 ? bitratesV1 : bitratesV2)[bitrateIndex] * 1000
    let baseRate = rateIndex == 0 ? 44100 : (rateIndex == 1 ? 48000 : 32000)
    let sampleRate = baseRate / (mpeg1 ? 1 : (version == 2 ? 2 : 4))
    let samples = mpeg1 ? 1152 : 576
    return Frame(length: samples / 8 * bitrate / sampleRate, seconds: Double(samples) / Double(sampleRate))
  }

  /// The key of a header's second and third bytes: version, layer, bitrate index, sample-rate index.
  @inline(__always) static func key(_ second: UInt8, _ third: UInt8) -> Int {
    Int(second & 0x1E) << 5 | Int(third >> 2)
  }

  /// A Layer III frame header at `offset`, or `nil`. Called for every frame of every MP3: no
  /// array is made per call.
  static func frame(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> Frame? {
    guard offset + 4 <= bytes.count, bytes[offset] == 0xFF, bytes[offset + 1] & 0xE0 == 0xE0,
      let kind = kinds[key(bytes[offset + 1], bytes[offset + 2])]
    else { return nil }
    let padding = Int((bytes[offset + 2] >> 1) & 0x01)
    let length = kind.length + padding
    return length >= 4 ? Frame(length: length, seconds: kind.seconds) : nil
  }

  /// How many consecutive valid frames make an MP3 (a tag and two frames is not a recording).
  static let minimumRun = 8

  /// Where the audio begins: after every ID3v2 tag and the zero padding taggers leave between
  /// them and the first frame (Windows, MusicBee, iTunes). `nil` when a tag claims more bytes
  /// than the file holds.
  static func audioStart(_ bytes: UnsafeRawBufferPointer) -> Int? {
    var offset = 0
    while true {
      if let tag = MagicSniffer.id3v2TagLength(bytes.slice(offset..<bytes.count)) {
        guard tag <= bytes.count - offset else { return nil }
        offset += tag
        continue
      }
      let padded = offset
      while offset < bytes.count, bytes[offset] == 0 { offset += 1 }
      if offset == padded || MagicSniffer.id3v2TagLength(bytes.slice(offset..<bytes.count)) == nil { return offset }
    }
  }

  /// Whether `minimumRun` valid frames follow each other from `offset` (or valid frames reach
  /// exactly the end of a shorter file's audio — never fewer than `minimumRun`).
  static func isRun(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> Bool {
    var position = offset
    for _ in 0..<minimumRun {
      guard let current = frame(bytes, at: position), position + current.length <= bytes.count else { return false }
      position += current.length
    }
    return true
  }

  /// Where the first run of `minimumRun` frames begins: decoders skip junk (an encoder's own
  /// header, garbage a tagger left) before a good run of frames; so do we, within 64 KiB.
  static func frameRun(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
    var offset = start
    let last = min(bytes.count, start + 65_536)
    while offset < last {
      if bytes[offset] == 0xFF, isRun(bytes, at: offset) { return offset }
      offset += 1
    }
    return nil
  }

  /// `feed`: the upload's digests, fed ahead of the frame walk (none: the caller hashes).
  static func inspect(_ bytes: UnsafeRawBufferPointer, feed: DigestFeed? = nil) -> ContentFacts {
    var facts = ContentFacts()
    guard let start = audioStart(bytes) else {
      facts.problems.append(.corrupt("an ID3 tag claims more bytes than the file holds; no audio"))
      return facts
    }
    guard var offset = frameRun(bytes, from: start) else {
      facts.problems.append(
        .corrupt("no run of \(minimumRun) consecutive MP3 frames in the first 64 KiB after the ID3 tags"))
      return facts
    }
    // The bytes skipped before the frames are junk to a decoder, but never a hidden format.
    let skipped = bytes.slice(start..<offset)
    if let hidden = TrailingBytes.formatAtStart(skipped) ?? TrailingBytes.provenFormat(skipped) {
      facts.problems.append(.polyglot("\(hidden) before the audio frames"))
      return facts
    }
    var seconds = 0.0
    while true {
      feed?.through(offset + 4)
      guard let current = frame(bytes, at: offset), offset + current.length <= bytes.count else { break }
      seconds += current.seconds
      offset += current.length
    }
    facts.durationSeconds = seconds
    var tail = bytes.slice(offset..<bytes.count)
    // Trailing tags are normal: ID3v1 ("TAG", 128 bytes) and APEv2.
    if tail.count >= 128, bytes.slice((bytes.count - 128)..<(bytes.count - 125)).elementsEqual(Array("TAG".utf8)) {
      tail = tail.slice(0..<(tail.count - 128))
    }
    if ByteSearch.firstIndex(of: Array("APETAGEX".utf8), in: tail) != nil { return facts }
    if let problem = TrailingBytes.problem(tail, after: "the audio frames") { facts.problems.append(problem) }
    return facts
  }
}
