import Inflate
import LibDeflate
import Magic

#if canImport(Glibc)
  import Glibc
#endif

/// What a file's own structures say about it, found in-process without external programs.
public struct ContentFacts: Codable, Sendable, Equatable {
  public var pages: Int?
  public var width: Int?
  public var height: Int?
  public var durationSeconds: Double?
  public var problems: [ContentProblem] = []

  enum CodingKeys: String, CodingKey { case pages, width, height, durationSeconds, problems }

  public init() {}

  /// The longest duration a file's header is believed for: a day. An upload of at most 10 MiB
  /// that says it lasts longer (an `mvhd` of 2^62 seconds) states no usable fact; the duration
  /// is left out of the report and the manifest (players compute it from the samples), and the
  /// file is judged on everything else.
  public static let maxDurationSeconds = 86_400.0

  /// `seconds` when it is a finite, positive duration of at most a day, else `nil`.
  public static func plausibleDuration(_ seconds: Double) -> Double? {
    seconds.isFinite && seconds > 0 && seconds <= maxDurationSeconds ? seconds : nil
  }
}

/// A structural problem inside a file of an allowed type.
public enum ContentProblem: Codable, Sendable, Equatable {
  /// Truncated or structurally broken; the reason is for staff.
  case corrupt(String)
  /// A second format hidden in the file; the reason names it.
  case polyglot(String)
  /// A password-protected PDF.
  case encrypted
  /// PDF actions that make a document's content changeable (`/URI`, `/Launch`, `/GoToR`,
  /// `/JavaScript`).
  case links([String])
  /// A PDF with attached or embedded files.
  case embeddedFiles
  /// Bytes after the format's end that the file does not declare and that are no known format.
  case trailingData(String)
  /// A PDF that opens without a password but carries an owner password (printing, copying or
  /// editing may be restricted).
  case restricted
  /// An allowed container whose content reviewers' browsers cannot show (a JPEG coding process,
  /// an MP4 codec or brand); the text says what it really is.
  case unsupportedVariant(UnsupportedContent)
  /// Content protected by DRM (encrypted MP4 sample entries); the text names the scheme.
  case drmProtected(String)
  /// More structure than the parser's budget allows it to check (a PDF with hundreds of
  /// thousands of annotations): the file cannot be vouched for; the text says what ran out.
  case tooComplex(String)
}

/// What a file of an allowed container really holds when reviewers' browsers cannot show it.
public struct UnsupportedContent: Codable, Sendable, Equatable {
  /// What it is, for staff ("an arithmetic-coded JPEG (SOF9)", "AC-3 audio (ac-3)").
  public var en: String
  /// What it is, for the student (「算術編碼的 JPEG」).
  public var zh: String
  /// What the student should do, in Chinese.
  public var advice: String

  public init(en: String, zh: String, advice: String) {
    self.en = en
    self.zh = zh
    self.advice = advice
  }
}

/// Parsers for the five allowed formats. Each takes the whole file (files over the largest
/// limit are never parsed) and never trusts a length it reads.
enum FormatParsers {
  /// `inflater` is the worker's own libdeflate decompressor (reused from file to file); without
  /// one, each image gets a fresh one. `feed`: the file's digests, hashed here first, or for a
  /// parser that reads the whole file from start to end (the MP3 frame walk, a JPEG's
  /// entropy-coded data) fed just ahead of it; the caller finishes it. (A PNG's chunk CRCs read
  /// as fast from the shared cache: measured, no gain.)
  static func inspect(
    mime: String, _ bytes: UnsafeRawBufferPointer, limits: ParseLimits, inflater: ZlibDecompressor? = nil,
    feed: DigestFeed? = nil
  ) -> ContentFacts {
    let type = ContentType(mime: mime)
    if type != .mp3 && type != .jpeg { feed?.finish() }
    var facts =
      switch type {
      case .pdf: PDFParser.inspect(bytes)
      case .png: PNGParser.inspect(bytes, limits: limits, inflater: inflater)
      case .jpeg: JPEGParser.inspect(bytes, limits: limits, feed: feed)
      case .mp4: MP4Parser.inspect(bytes)
      case .mp3: MP3Parser.inspect(bytes, feed: feed)
      case nil: ContentFacts()
      }
    facts.durationSeconds = facts.durationSeconds.flatMap(ContentFacts.plausibleDuration)
    return facts
  }

  static func isPadding(_ bytes: UnsafeRawBufferPointer) -> Bool {
    bytes.allSatisfy { $0 == 0 || $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
  }
}

/// Byte searching over raw buffers.
enum ByteSearch {
  static func firstIndex(of needle: [UInt8], in haystack: UnsafeRawBufferPointer, from start: Int = 0) -> Int? {
    guard !needle.isEmpty, haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
    let first = needle[0]
    var index = start
    let last = haystack.count - needle.count
    while index <= last {
      if haystack[index] == first {
        var match = true
        for offset in 1..<needle.count where haystack[index + offset] != needle[offset] {
          match = false
          break
        }
        if match { return index }
      }
      index += 1
    }
    return nil
  }

  static func lastIndex(of needle: [UInt8], in haystack: UnsafeRawBufferPointer) -> Int? {
    guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
    var index = haystack.count - needle.count
    while index >= 0 {
      var match = true
      for offset in 0..<needle.count where haystack[index + offset] != needle[offset] {
        match = false
        break
      }
      if match { return index }
      index -= 1
    }
    return nil
  }
}

extension UnsafeRawBufferPointer {
  /// The index of the next `byte` at or after `from` (memchr), or `nil`.
  func index(of byte: UInt8, from: Int) -> Int? {
    guard from < count, let base = baseAddress else { return nil }
    guard let found = memchr(base + from, Int32(byte), count - from) else { return nil }
    return UnsafeRawPointer(found) - base
  }

  func slice(_ range: Range<Int>) -> UnsafeRawBufferPointer {
    UnsafeRawBufferPointer(rebasing: self[range.clamped(to: 0..<count)])
  }

  func bigEndian32(_ offset: Int) -> UInt32 {
    UInt32(self[offset]) << 24 | UInt32(self[offset + 1]) << 16 | UInt32(self[offset + 2]) << 8
      | UInt32(self[offset + 3])
  }

  func bigEndian16(_ offset: Int) -> Int { Int(self[offset]) << 8 | Int(self[offset + 1]) }
}
