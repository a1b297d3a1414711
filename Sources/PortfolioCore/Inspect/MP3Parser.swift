import Inflate
import Magic

#if canImport(Glibc)
  import Glibc
#endif

enum MP3Parser {
  struct Frame {
    let length: Int
    let samples: Int
    let sampleRate: Int
  }

  static let bitratesV1: [Int] = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 0]
  static let bitratesV2: [Int] = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, 0]

  /// A Layer III frame header at `offset`, or `nil`.
  static func frame(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> Frame? {
    guard offset + 4 <= bytes.count, bytes[offset] == 0xFF, bytes[offset + 1] & 0xE0 == 0xE0 else { return nil }
    let version = (bytes[offset + 1] >> 3) & 0x03  // 0: 2.5, 2: 2, 3: 1
    let layer = (bytes[offset + 1] >> 1) & 0x03  // 1: Layer III
    let bitrateIndex = Int(bytes[offset + 2] >> 4)
    let rateIndex = Int((bytes[offset + 2] >> 2) & 0x03)
    let padding = Int((bytes[offset + 2] >> 1) & 0x01)
    guard version != 1, layer == 1, rateIndex != 3 else { return nil }
    let mpeg1 = version == 3
    let bitrate = (mpeg1 ? bitratesV1 : bitratesV2)[bitrateIndex] * 1000
    guard bitrate > 0 else { return nil }
    let baseRates = [44100, 48000, 32000]
    let sampleRate = baseRates[rateIndex] / (mpeg1 ? 1 : (version == 2 ? 2 : 4))
    let samples = mpeg1 ? 1152 : 576
    let length = samples / 8 * bitrate / sampleRate + padding
    return length >= 4 ? Frame(length: length, samples: samples, sampleRate: sampleRate) : nil
  }

  static func inspect(_ bytes: UnsafeRawBufferPointer) -> ContentFacts {
    var facts = ContentFacts()
    var offset = 0
    while offset < bytes.count, let tag = MagicSniffer.id3v2TagLength(bytes.slice(offset..<bytes.count)) {
      offset += tag
    }
    guard offset < bytes.count else {
      facts.problems.append(.corrupt("an ID3 tag runs past the end of the file; no audio"))
      return facts
    }
    // Tolerate a little padding between the tag and the first frame.
    var searched = 0
    while offset < bytes.count, frame(bytes, at: offset) == nil, searched < 4096 {
      offset += 1
      searched += 1
    }
    guard let firstFrame = frame(bytes, at: offset),
      frame(bytes, at: offset + firstFrame.length) != nil || offset + firstFrame.length == bytes.count
    else {
      facts.problems.append(.corrupt("no valid MP3 audio frame"))
      return facts
    }
    var seconds = 0.0
    while let current = frame(bytes, at: offset), offset + current.length <= bytes.count {
      seconds += Double(current.samples) / Double(current.sampleRate)
      offset += current.length
    }
    facts.durationSeconds = seconds
    var tail = bytes.slice(offset..<bytes.count)
    // Trailing tags are normal: ID3v1 ("TAG", 128 bytes) and APEv2.
    if tail.count >= 128, bytes.slice((bytes.count - 128)..<(bytes.count - 125)).elementsEqual(Array("TAG".utf8)) {
      tail = tail.slice(0..<(tail.count - 128))
    }
    if ByteSearch.firstIndex(of: Array("APETAGEX".utf8), in: tail) != nil { return facts }
    if let hidden = FormatParsers.hiddenFormat(tail) {
      facts.problems.append(.polyglot("\(hidden) after the audio frames"))
    } else if tail.count > 4096 {
      facts.problems.append(.corrupt("\(tail.count) bytes that are not audio frames at the end"))
    }
    return facts
  }
}
