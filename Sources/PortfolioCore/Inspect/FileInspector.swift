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

  /// Its keys, named so that the ledger's byte reader knows every key it must read.
  enum CodingKeys: String, CodingKey { case mime, magicDescription, bytes, sha256, md5, facts }
}

/// Reads each file once: sniffs its first bytes with libmagic, hashes it and parses its
/// structures in the same pass over one reused buffer.
///
/// Holds a libmagic handle and a buffer: **one inspector per worker**; not thread-safe.
public final class FileInspector {
  private let sniffer: MagicSniffer
  private let hasher: DigestHasher
  let md5: DigestHasher
  /// This worker's libdeflate decompressor and buffers, reused for every PNG's image data.
  private let inflater: ZlibDecompressor?
  private var buffer: UnsafeMutableRawBufferPointer
  /// The next upload's bytes when it was hashed together with this one (`Partner`).
  var partnerBuffer: UnsafeMutableRawBufferPointer
  /// The next upload, opened, read and hashed ahead with the one before it; taken by its own
  /// `inspect` (any other path discards it).
  var prepared: PreparedUpload?
  /// Files up to this size are parsed whole; larger ones (over every limit) are only sniffed
  /// and hashed, streaming.
  public let maxParsedBytes: Int
  /// What the parsers refuse whatever the size (pixels).
  public let limits: ParseLimits
  /// The window libmagic looks at.
  public static let sniffWindow = 64 * 1024
  private static let chunk = 1024 * 1024
  /// The five types any policy allows; others get libmagic's description as evidence.
  static let allowedTypes = Set(ContentType.allCases.map(\.rawValue))

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
    partnerBuffer = .allocate(byteCount: SHA256Pair.isAvailable ? maxParsedBytes + 1 : 1, alignment: 16)
    inflater = ZlibDecompressor()
  }

  deinit {
    prepared = nil
    buffer.deallocate()
    partnerBuffer.deallocate()
  }

  /// Inspects the regular file at `path`. Never follows a link, never blocks on a FIFO.
  /// `withMD5` adds the MD5 to the same read (for files a roster may list). `scanned`: the
  /// drop's scan found a regular file there, so no `lstat` decides again before the open
  /// (`fstat` after it still confirms a regular file).
  /// `partner`: the upload asked about next, if known; when this CPU can hash two at once and
  /// this file is large enough for it to matter, the partner is read and hashed together with
  /// this one and waits, hashed, for its own `inspect`.
  public func inspect(
    path: String, withMD5: Bool = false, scanned: Bool = false, partner nextPartner: () -> Partner? = { nil }
  ) throws(FileSystem.OpenFailure) -> FileInspection {
    if let ready = takePrepared(path: path, withMD5: withMD5) { return try inspect(prepared: ready) }
    let opened: (fd: Int32, size: Int64)
    switch FileSystem.openRegularFile(path, listed: scanned ? .regularFile : nil) {
    case .success(let value): opened = value
    case .failure(let failure): throw failure
    }
    defer { close(opened.fd) }
    // Over the largest limit by its size alone (sparse or not): `too-large` whatever it holds.
    // Only its first bytes are read, for libmagic; it is neither hashed nor parsed.
    if opened.size > Int64(maxParsedBytes) {
      return try sniffOnly(fd: opened.fd, path: path, size: opened.size)
    }
    try resetDigests(withMD5: withMD5, path: path)
    let partner = opened.size >= pairedFrom ? nextPartner() : nil
    // A large file is read through a mapping (no copy); if it changed while mapped (cut short,
    // or its size or time differ afterwards), it is read again like any other file below.
    if opened.size >= mappedFrom, let stamp = Self.stamp(opened.fd),
      let mapped = MappedUpload(fd: opened.fd, count: Int(opened.size))
    {
      afterMapping?(path)
      let digests = partner.flatMap { hashTogether(mapped.bytes, withMD5: withMD5, partner: $0) }
      let inspection = inspectWhole(mapped.bytes, withMD5: withMD5, digests: digests)
      if !mapped.close(), Self.stamp(opened.fd) == stamp { return inspection }
      try resetDigests(withMD5: withMD5, path: path)
    }
    return try readAndInspect(fd: opened.fd, size: opened.size, path: path, withMD5: withMD5, partner: partner)
  }

  /// Reads up to maxParsedBytes + 1 into the buffer and inspects what was read: a file that grew
  /// past every limit since fstat is judged by what was read (over the limit) and not read further.
  func readAndInspect(fd: Int32, size: Int64, path: String, withMD5: Bool, partner: Partner? = nil)
    throws(FileSystem.OpenFailure) -> FileInspection
  {
    let capacity = maxParsedBytes + 1
    let filled = try fill(fd: fd, upTo: capacity, size: size, path: path)
    let whole = UnsafeRawBufferPointer(rebasing: buffer[0..<filled])
    if filled == capacity {
      return FileInspection(
        mime: mime(of: whole).type, magicDescription: "", bytes: Int64(filled), sha256: "",
        md5: nil, facts: nil)
    }
    let digests = partner.flatMap { hashTogether(whole, withMD5: withMD5, partner: $0) }
    return inspectWhole(whole, withMD5: withMD5, digests: digests)
  }

  /// SHA-256 (and MD5 when asked) ready for a new file.
  func resetDigests(withMD5: Bool, path: String) throws(FileSystem.OpenFailure) {
    do {
      try hasher.reset()
      if withMD5 { try md5.reset() }
    } catch {
      throw .system(SystemError(call: "EVP_DigestInit_ex", path: path, errno: 0))
    }
  }

  /// Files from this size on are mapped rather than read (below it, one copy costs less than
  /// setting up and tearing down a mapping); tests set it to read everything.
  var mappedFrom: Int64 = 1 << 20

  /// Uploads from this size on are hashed with a partner when one is known: below it, the hash
  /// is too small a part of the work to pay for looking for one (tests set it to pair everything).
  var pairedFrom: Int64 = 256 * 1024

  /// Called with the path once a large file is mapped, before it is inspected (tests: a file
  /// cut short at that moment).
  var afterMapping: ((String) -> Void)?

  /// What says a file did not change while it was read: its size and modification time.
  static func stamp(_ fd: Int32) -> [Int]? {
    var info = stat()
    guard fstat(fd, &info) == 0 else { return nil }
    return [Int(info.st_size), info.st_mtim.tv_sec, info.st_mtim.tv_nsec, info.st_ctim.tv_sec, info.st_ctim.tv_nsec]
  }

  /// Hashes, sniffs and parses the whole file, `whole` (the digests reset); `digests`: its
  /// digests when they were computed already (hashed together with another upload).
  func inspectWhole(_ whole: UnsafeRawBufferPointer, withMD5: Bool, digests: Digests? = nil) -> FileInspection {
    let filled = whole.count
    let sniffed = Self.isoMedia(whole, sniffed: Self.taggedAudio(whole, sniffed: mime(of: whole)))
    // Hashed by the parsers' entry: first, or just ahead of a parser that walks the whole file.
    let feed = digests == nil ? DigestFeed(whole, hasher: hasher, md5: withMD5 ? md5 : nil) : nil
    var facts =
      filled == 0
      ? nil : FormatParsers.inspect(mime: sniffed.type, whole, limits: limits, inflater: inflater, feed: feed)
    feed?.finish()
    let sha256 = digests?.sha256 ?? (try? hasher.finish()) ?? ""
    // Computed already: those digests alone (the MD5 hasher then holds another upload's).
    let md5Hex = withMD5 ? (digests.map { $0.md5 } ?? (try? md5.finish())) : nil
    if !sniffed.description.isEmpty, sniffed.type == "audio/mpeg", let problems = facts?.problems {
      // Say why an MP3 that libmagic did not recognise was judged as one.
      facts?.problems = problems.map {
        guard case .corrupt(let reason) = $0 else { return $0 }
        return .corrupt("\(reason); \(sniffed.description)")
      }
    }
    return FileInspection(
      mime: sniffed.type, magicDescription: sniffed.description, bytes: Int64(filled), sha256: sha256, md5: md5Hex,
      facts: facts)
  }

  /// libmagic's answer for a file's bytes (one of the five formats by its usual name) and, only
  /// when it is not an allowed type, libmagic's description as evidence for the refusal.
  func mime(of bytes: UnsafeRawBufferPointer) -> (type: String, description: String) {
    let sniffed = Self.libmagicType(of: bytes, sniffer: sniffer) ?? "application/octet-stream"
    let type = Self.sameFormat[sniffed] ?? sniffed
    guard !FileInspector.allowedTypes.contains(type) else { return (type, "") }
    return (type, (try? sniffer.describe(Self.sniffWindowOf(bytes))) ?? "")
  }

  /// libmagic's MIME type for a file's bytes: its answer for `sniffWindowOf(bytes)`, or `nil`
  /// when it fails. An MP3 that starts with one ID3v2 tag is asked about the bytes after the tag
  /// first: libmagic's own rule for the tag runs its whole database again on exactly those
  /// bytes (`indirect`), so when they are `audio/mpeg` alone, the whole is `audio/mpeg` — found
  /// with one walk of the database instead of two (an MP3 costs libmagic 150 µs, not 265).
  /// Any other answer there and libmagic is asked about the whole window, as before.
  static func libmagicType(of bytes: UnsafeRawBufferPointer, sniffer: MagicSniffer) -> String? {
    if let audio = nestedAudio(bytes), (try? sniffer.mimeType(of: audio)) == "audio/mpeg" { return "audio/mpeg" }
    return try? sniffer.mimeType(of: sniffWindowOf(bytes))
  }

  /// The bytes libmagic's ID3v2 rule sniffs again inside the window — from the end of the tag
  /// (its header and its size, no footer: libmagic does not count one) to the end of the
  /// window — for a file that starts with exactly one well-formed tag that ends in the first
  /// half of the window; `nil` for any other file. A second tag right after the first (each
  /// one more level of libmagic's `indirect`, which it limits) or a footer is left to the
  /// whole window; so is padding after the tag, which libmagic does not skip.
  static func nestedAudio(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer? {
    // A tag that claims more bytes than the file holds (or all but three) leaves nothing to ask.
    guard let length = MagicSniffer.id3v2TagLength(bytes), bytes[5] & 0x10 == 0, length <= sniffWindow / 2,
      length + 4 <= bytes.count
    else { return nil }
    let window = bytes.slice(length..<min(bytes.count, sniffWindow))
    guard !window.starts(with: Array("ID3".utf8)) else { return nil }
    return window
  }

  /// A file that starts with an ID3v2 tag is an MP3 by the drop contract's rule — a run of
  /// consecutive frames within 64 KiB after the tags — whatever libmagic says of the bytes after
  /// the tags (an encoder's header or junk before the first frame hides the audio from it). When
  /// libmagic recognises nothing there either (`application/octet-stream`), the file is judged as
  /// the MP3 it claims to be, and a missing frame run is the contract's MP3 problem, not "not an
  /// allowed format". The description says what libmagic said.
  static func taggedAudio(_ bytes: UnsafeRawBufferPointer, sniffed: (type: String, description: String)) -> (
    type: String, description: String
  ) {
    guard !allowedTypes.contains(sniffed.type), MagicSniffer.id3v2TagLength(bytes) != nil,
      let start = MP3Parser.audioStart(bytes)
    else { return sniffed }
    let said = "libmagic did not recognise the bytes after the ID3v2 tags (\(sniffed.type): \(sniffed.description))"
    if let run = MP3Parser.frameRun(bytes, from: start) {
      return ("audio/mpeg", "\(said); the MP3 frame run starts at byte \(run)")
    }
    return sniffed.type == "application/octet-stream" ? ("audio/mpeg", said) : sniffed
  }

  /// An ISO-BMFF file (`ftyp` first) whose major brand libmagic does not know
  /// (`application/octet-stream`, "ISO Media") is judged as MP4 by its tracks and codecs, as
  /// players do, not refused for its brand; known non-MP4 brands (3GP, QuickTime, M4A) keep
  /// libmagic's answer or the brand check's.
  static func isoMedia(_ bytes: UnsafeRawBufferPointer, sniffed: (type: String, description: String)) -> (
    type: String, description: String
  ) {
    guard sniffed.type == "application/octet-stream", bytes.count >= 12,
      bytes.slice(4..<8).elementsEqual(Array("ftyp".utf8))
    else { return sniffed }
    let brand = MP4BoxTree.fourCC(bytes, 8)
    return (
      "video/mp4",
      "libmagic did not recognise the major brand \"\(brand)\" (\(sniffed.type): \(sniffed.description)); judged by its tracks and codecs"
    )
  }

  /// Reads from `fd` into the buffer (`into`: another one) until `count` bytes or the end of the
  /// file; the bytes read. A short read that brings the file to `size` (fstat's) is taken as its
  /// end, without a read for the 0; a file that grew since is read on.
  func fill(
    fd: Int32, upTo count: Int, size: Int64? = nil, path: String, into destination: UnsafeMutableRawBufferPointer? = nil
  ) throws(FileSystem.OpenFailure) -> Int {
    var filled = 0
    while filled < count, let base = (destination ?? buffer).baseAddress {
      let target = UnsafeMutableRawBufferPointer(start: base + filled, count: count - filled)
      switch FileSystem.readRegular(fd, into: target, path: path) {
      case .success(0): return filled
      case .success(let got):
        filled += got
        if got < target.count, let size, Int64(filled) == size { return filled }
      case .failure(let error): throw .system(error)
      }
    }
    return filled
  }

  /// A file over every limit: its type from its first bytes (at most one chunk), its size from
  /// `fstat`; no hash (it is refused as `too-large` whatever it holds).
  private func sniffOnly(fd: Int32, path: String, size: Int64) throws(FileSystem.OpenFailure) -> FileInspection {
    let filled = try fill(fd: fd, upTo: min(Self.chunk, buffer.count), path: path)
    let head = UnsafeRawBufferPointer(rebasing: buffer[0..<filled])
    let sniffed = mime(of: head)
    return FileInspection(
      mime: sniffed.type, magicDescription: sniffed.description, bytes: size, sha256: "", md5: nil, facts: nil)
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
