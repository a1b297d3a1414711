import Digest
import LibDeflate
import Magic

#if canImport(Glibc)
  import Glibc
#endif

/// What one read of a file established: its real type, hash, size and structure.
public struct FileInspection: Codable, Sendable, Equatable {
  /// libmagic's MIME type.
  public var mime: String
  /// libmagic's description, kept as evidence.
  public var magicDescription: String
  public var bytes: Int64
  public var sha256: String
  /// Lowercase hex MD5, computed in the same read when the file can appear in a roster (名冊):
  /// the central database's rosters carry it beside each file link. `nil` otherwise.
  public var md5: String? = nil
  /// `nil` when the file was not parsed (over the largest limit, or not an allowed type).
  public var facts: ContentFacts?
}

/// Reads each file once: sniffs its first bytes with libmagic, hashes it and parses its
/// structures in the same pass over one reused buffer.
///
/// Holds a libmagic handle and a buffer: **one inspector per worker**; not thread-safe.
public final class FileInspector {
  private let sniffer: MagicSniffer
  private let hasher: DigestHasher
  private let md5: DigestHasher
  /// This worker's libdeflate decompressor and buffers, reused for every PNG's image data.
  private let inflater: ZlibDecompressor?
  private var buffer: UnsafeMutableRawBufferPointer
  /// Files up to this size are parsed whole; larger ones (over every limit) are only sniffed
  /// and hashed, streaming.
  public let maxParsedBytes: Int
  /// What the parsers refuse whatever the size (pixels).
  public let limits: ParseLimits
  /// The window libmagic looks at.
  public static let sniffWindow = 64 * 1024
  private static let chunk = 1024 * 1024
  /// The five types any policy allows; others get libmagic's description as evidence.
  static let allowedTypes: Set<String> = ["application/pdf", "image/jpeg", "image/png", "audio/mpeg", "video/mp4"]

  /// libmagic's names for what is one of the five formats by another name: an iTunes `M4V `
  /// brand is an MP4 (ISO base media, AVC/AAC); the MP4 parser still checks its tracks.
  static let sameFormat: [String: String] = ["video/x-m4v": "video/mp4"]

  public init(maxParsedBytes: Int, limits: ParseLimits) throws {
    self.limits = limits
    sniffer = try MagicSniffer(bytesMax: Self.sniffWindow)
    hasher = try DigestHasher(.sha256)
    md5 = try DigestHasher(.md5)
    self.maxParsedBytes = maxParsedBytes
    buffer = .allocate(byteCount: max(maxParsedBytes, Self.chunk) + 1, alignment: 16)
    inflater = ZlibDecompressor()
  }

  deinit { buffer.deallocate() }

  /// Inspects the regular file at `path`. Never follows a link, never blocks on a FIFO.
  /// `withMD5` adds the MD5 to the same read (for files a roster may list).
  public func inspect(path: String, withMD5: Bool = false) throws(FileSystem.OpenFailure) -> FileInspection {
    let opened: (fd: Int32, size: Int64)
    switch FileSystem.openRegularFile(path) {
    case .success(let value): opened = value
    case .failure(let failure): throw failure
    }
    defer { close(opened.fd) }
    do {
      try hasher.reset()
      if withMD5 { try md5.reset() }
    } catch {
      throw .system(SystemError(call: "EVP_DigestInit_ex", path: path, errno: 0))
    }
    // Read up to maxParsedBytes + 1 into the buffer: if that fills, the file is over every
    // limit and the rest is only hashed.
    let capacity = maxParsedBytes + 1
    var filled = 0
    var total: Int64 = 0
    var overflow = false
    var sniffPrefix: [UInt8] = []
    while true {
      let room = overflow ? min(Self.chunk, buffer.count) : capacity - filled
      guard let base = buffer.baseAddress else { break }
      let target = overflow ? base : base + filled
      let got: Int
      switch FileSystem.read(opened.fd, into: UnsafeMutableRawBufferPointer(start: target, count: room), path: path) {
      case .success(let count): got = count
      case .failure(let error): throw .system(error)
      }
      if got == 0 { break }
      hasher.update(UnsafeRawBufferPointer(start: target, count: got))
      if withMD5 { md5.update(UnsafeRawBufferPointer(start: target, count: got)) }
      total += Int64(got)
      if overflow { continue }
      filled += got
      if filled == capacity {
        // Keep what libmagic needs before the buffer is reused for streaming.
        sniffPrefix = Array(Self.sniffWindowOf(UnsafeRawBufferPointer(rebasing: buffer[0..<filled])))
        overflow = true
      }
    }
    let sha256 = (try? hasher.finish()) ?? ""
    let md5Hex = withMD5 ? try? md5.finish() : nil
    let whole = UnsafeRawBufferPointer(rebasing: buffer[0..<filled])
    let window: UnsafeRawBufferPointer =
      overflow ? UnsafeRawBufferPointer(start: nil, count: 0) : Self.sniffWindowOf(whole)
    let sample: UnsafeRawBufferPointer = overflow ? UnsafeRawBufferPointer(start: nil, count: 0) : window
    let sniffed: String
    if overflow {
      sniffed = (try? sniffer.mimeType(of: sniffPrefix)) ?? "application/octet-stream"
    } else {
      sniffed = (try? sniffer.mimeType(of: sample)) ?? "application/octet-stream"
    }
    let mime = Self.sameFormat[sniffed] ?? sniffed
    // The description is evidence for a refusal: ask libmagic a second time only then.
    var description = ""
    if !FileInspector.allowedTypes.contains(mime) {
      description = (overflow ? try? sniffer.describe(sniffPrefix) : try? sniffer.describe(sample)) ?? ""
    }
    let facts =
      overflow || total == 0 ? nil : FormatParsers.inspect(mime: mime, whole, limits: limits, inflater: inflater)
    return FileInspection(
      mime: mime, magicDescription: description, bytes: total, sha256: sha256, md5: md5Hex, facts: facts)
  }

  /// The bytes libmagic should see: the first 64 KiB, or for an MP3 whose ID3v2 tags (cover
  /// art) and padding are longer than half of that, the 64 KiB from the first frame.
  static func sniffWindowOf(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
    var start = 0
    // libmagic must see audio, not the zeros a tagger left after a long tag.
    if MagicSniffer.id3v2TagLength(bytes) != nil, let audio = MP3Parser.audioStart(bytes), audio + 4 < bytes.count,
      audio > Self.sniffWindow / 2
    {
      start = audio
    }
    return bytes.slice(start..<min(bytes.count, start + Self.sniffWindow))
  }
}
