import Digest

#if canImport(Glibc)
  import Glibc
#endif

/// Two uploads hashed at once: SHA-256 is most of the work on large files, and with the x86
/// SHA extensions two uploads' rounds interleaved take little more than the time of one
/// (`SHA256Pair`). A worker that already holds the next request names it as the `Partner` of
/// the current one: the partner is opened, read (or mapped) and hashed together with the current
/// upload, then waits, hashed, for its own `inspect`, which parses it. Only the hash is shared:
/// each upload is still parsed, and answered, at its own turn, so a parser that crashes or
/// hangs is blamed on its own upload. Whatever stops the partner from being prepared — a CPU
/// without the extensions, a file that cannot be opened or read, one over every limit — leaves
/// it to be opened at its turn, exactly as before.
extension FileInspector {
  /// The upload asked about next.
  public struct Partner: Sendable, Equatable {
    public let path: String
    public let withMD5: Bool
    public let scanned: Bool

    public init(path: String, withMD5: Bool, scanned: Bool) {
      self.path = path
      self.withMD5 = withMD5
      self.scanned = scanned
    }
  }

  /// An upload's digests, computed before it is parsed.
  struct Digests {
    let sha256: String
    let md5: String?
  }

  /// Prepares `partner` and hashes it together with `bytes`; this upload's digests, or `nil` when
  /// the partner could not be prepared (each is then hashed alone).
  func hashTogether(_ bytes: UnsafeRawBufferPointer, withMD5: Bool, partner: Partner) -> Digests? {
    prepared = nil
    guard SHA256Pair.isAvailable,
      case .success(let opened) = FileSystem.openRegularFile(
        partner.path, listed: partner.scanned ? .regularFile : nil)
    else { return nil }
    let upload = PreparedUpload(partner, fd: opened.fd, size: opened.size)
    guard opened.size <= Int64(maxParsedBytes), let stamp = Self.stamp(opened.fd) else { return nil }
    upload.stamp = stamp
    let other: UnsafeRawBufferPointer
    if opened.size >= mappedFrom, let mapped = MappedUpload(fd: opened.fd, count: Int(opened.size)) {
      other = mapped.bytes
      upload.mapping = consume mapped
    } else {
      guard
        let filled = try? fill(
          fd: opened.fd, upTo: maxParsedBytes + 1, size: opened.size, path: partner.path, into: partnerBuffer),
        filled <= maxParsedBytes
      else { return nil }
      upload.filled = filled
      other = UnsafeRawBufferPointer(rebasing: partnerBuffer[0..<filled])
    }
    guard let (mine, theirs) = SHA256Pair.digests(bytes, other) else { return nil }
    upload.digests = Digests(sha256: theirs, md5: partner.withMD5 ? md5Hex(other) : nil)
    prepared = upload
    return Digests(sha256: mine, md5: withMD5 ? md5Hex(bytes) : nil)
  }

  /// The prepared upload when it is `path` asked the same way; any other is let go (closed).
  func takePrepared(path: String, withMD5: Bool) -> PreparedUpload? {
    guard let upload = prepared else { return nil }
    prepared = nil
    return upload.partner.path == path && upload.partner.withMD5 == withMD5 ? upload : nil
  }

  /// Parses a prepared upload with its digests. One that was cut short while mapped, or changed
  /// since it was hashed (its size or times), is read and hashed again from its start.
  func inspect(prepared upload: PreparedUpload) throws(FileSystem.OpenFailure) -> FileInspection {
    let withMD5 = upload.partner.withMD5
    let path = upload.partner.path
    try resetDigests(withMD5: withMD5, path: path)
    if let mapped = upload.mapping.take() {
      let inspection = inspectWhole(mapped.bytes, withMD5: withMD5, digests: upload.digests)
      if !mapped.close(), Self.stamp(upload.fd) == upload.stamp { return inspection }
    } else if Self.stamp(upload.fd) == upload.stamp {
      let whole = UnsafeRawBufferPointer(rebasing: partnerBuffer[0..<upload.filled])
      return inspectWhole(whole, withMD5: withMD5, digests: upload.digests)
    }
    try resetDigests(withMD5: withMD5, path: path)
    guard lseek(upload.fd, 0, SEEK_SET) == 0 else {
      throw .system(SystemError(call: "lseek", path: path, errno: errno))
    }
    return try readAndInspect(fd: upload.fd, size: upload.size, path: path, withMD5: withMD5)
  }

  private func md5Hex(_ bytes: UnsafeRawBufferPointer) -> String? {
    let hasher = md5
    guard (try? hasher.reset()) != nil else { return nil }
    hasher.update(bytes)
    return try? hasher.finish()
  }
}

/// A partner upload between its preparation and its own `inspect`: its open file, its bytes
/// (mapped, or the first `filled` of the inspector's partner buffer) and its digests.
final class PreparedUpload {
  let partner: FileInspector.Partner
  let fd: Int32
  let size: Int64
  var mapping: MappedUpload?
  /// The file's identity when it was prepared (a change by its own `inspect` means a new read).
  var stamp: [Int]?
  var filled = 0
  var digests: FileInspector.Digests?

  init(_ partner: FileInspector.Partner, fd: Int32, size: Int64) {
    self.partner = partner
    self.fd = fd
    self.size = size
  }

  deinit { _ = close(fd) }
}
