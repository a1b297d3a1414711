import CLibZip

#if canImport(Glibc)
  import Glibc
#endif

/// How an entry's bytes are stored.
public enum ZipCompression: Sendable {
  /// Stored as is (artefacts: PDFs, JPEGs and media are already compressed).
  case stored
  /// Deflated (the manifest).
  case deflated

  var method: Int32 {
    switch self {
    case .stored: ZIP_CM_STORE
    case .deflated: ZIP_CM_DEFLATE
    }
  }
}

/// A DOS date and time as zip headers hold them (2-second resolution, no time zone).
public struct ZipTimestamp: Sendable, Equatable {
  public let time: UInt16
  public let date: UInt16

  /// The timestamp of `secondsSince1970`, read as UTC, so the bytes do not depend on the
  /// machine's time zone. Dates before 1980 (the DOS epoch) become 1980-01-01.
  public init(secondsSince1970: Int64) {
    let clamped = max(secondsSince1970, 315_532_800)  // 1980-01-01T00:00:00Z
    let days = clamped / 86_400
    let seconds = Int(clamped % 86_400)
    // Civil date from days since 1970 (Howard Hinnant's algorithm).
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let dayOfEra = z - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let mp = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * mp + 2) / 5 + 1
    let month = mp < 10 ? mp + 3 : mp - 9
    let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    let clampedYear = min(year, 2107)
    time = UInt16(seconds / 3600) << 11 | UInt16(seconds % 3600 / 60) << 5 | UInt16(seconds % 60 / 2)
    date = UInt16(clampedYear - 1980) << 9 | UInt16(month) << 5 | UInt16(day)
  }
}

/// Writes a zip archive with libzip.
///
/// libzip does all writing in `zip_close`: that is where errors appear (even "no such
/// folder"), so the archive is written only by `commit()`, which throws. An archive that is
/// never committed is discarded in `deinit` and leaves nothing behind. Files added by path are
/// opened only at commit; byte buffers are kept alive here until then.
/// How an entry is encrypted (tests stand in for other systems' zips with it). Only WinZip AES:
/// libzip 1.7.3's traditional PKWARE ("ZipCrypto") writer makes entries that neither libzip nor
/// Info-ZIP's unzip decrypts with the right password, so ZipCrypto zips come from Info-ZIP's `zip -P`.
public enum ZipEncryption: Sendable {
  /// WinZip AES with a 256-bit key.
  case aes256(password: String)

  var method: UInt16 {
    switch self {
    case .aes256: UInt16(ZIP_EM_AES_256)
    }
  }

  var password: String {
    switch self {
    case .aes256(let password): password
    }
  }
}

/// Entries get fixed timestamps and attributes so equal inputs give byte-identical archives.
/// Not thread-safe: one writer per archive, on one task.
public final class ZipArchiveWriter {
  private var archive: OpaquePointer?
  private var buffers: [UnsafeMutableRawBufferPointer] = []
  private let timestamp: ZipTimestamp
  /// Where the archive will be written by `commit()`.
  public let path: String

  /// Prepares a new archive at `path`, which must not exist: the file is created here, empty
  /// and owner-only (0600, never through a symbolic link), and libzip writes it on commit.
  /// The corresponding C functions are `open` (`O_CREAT | O_EXCL | O_NOFOLLOW`) and `zip_open`
  /// with `ZIP_TRUNCATE`.
  public init(path: String, timestamp: ZipTimestamp) throws(ZipError) {
    let fd = Glibc.open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
    guard fd >= 0 else {
      let code = errno
      throw ZipError(
        kind: .open, context: "creating \(path)", message: String(cString: strerror(code)), code: ZIP_ER_OPEN,
        systemErrno: code)
    }
    close(fd)
    var code: Int32 = 0
    guard let archive = zip_open(path, ZIP_TRUNCATE, &code) else {
      var info = stat()
      let seen =
        lstat(path, &info) == 0 ? "mode \(String(info.st_mode, radix: 8)) size \(info.st_size)" : "lstat errno \(errno)"
      unlink(path)
      throw ZipError.fromCode(code, .open, "creating \(path) [\(seen)]")
    }
    self.archive = archive
    self.path = path
    self.timestamp = timestamp
  }

  deinit {
    if let archive {
      zip_discard(archive)
      unlink(path)  // created empty by init, never committed
    }
    for buffer in buffers { buffer.deallocate() }
  }

  /// Adds an entry holding `bytes` (copied; the copy lives until commit).
  @discardableResult
  public func add(name: String, bytes: [UInt8], compression: ZipCompression) throws(ZipError)
    -> Int
  {
    let archive = try open()
    let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count, 1), alignment: 1)
    copy.copyBytes(from: bytes)
    buffers.append(copy)
    guard let source = zip_source_buffer(archive, copy.baseAddress, UInt64(bytes.count), 0) else {
      throw ZipError.from(zip_get_error(archive), .add, "adding \(name)")
    }
    return try insert(name: name, source: source, compression: compression)
  }

  /// Adds an encrypted entry holding `bytes`.
  /// The corresponding C function is `zip_file_set_encryption`.
  @discardableResult
  public func add(name: String, bytes: [UInt8], compression: ZipCompression, encryption: ZipEncryption)
    throws(ZipError) -> Int
  {
    let index = try add(name: name, bytes: bytes, compression: compression)
    let archive = try open()
    guard zip_file_set_encryption(archive, zip_uint64_t(index), encryption.method, encryption.password) == 0 else {
      throw ZipError.from(zip_get_error(archive), .add, "encrypting \(name)")
    }
    return index
  }

  /// Adds an entry streamed from the file at `sourcePath` when the archive is committed.
  /// The file's size is fixed now: if it changes before commit, commit fails.
  @discardableResult
  public func add(name: String, file sourcePath: String, compression: ZipCompression)
    throws(ZipError) -> Int
  {
    let archive = try open()
    // -1: to the end of the file (ZIP_LENGTH_TO_END does not exist in libzip 1.7.3).
    guard let source = zip_source_file(archive, sourcePath, 0, -1) else {
      throw ZipError.from(zip_get_error(archive), .add, "adding \(name) from \(sourcePath)")
    }
    return try insert(name: name, source: source, compression: compression)
  }

  /// Writes the archive (to a temporary file beside `path`, renamed into place by libzip).
  /// An archive with no entries is not written at all, so that is refused here.
  /// The corresponding C function is `zip_close`.
  public func commit() throws(ZipError) {
    let archive = try open()
    if zip_get_num_entries(archive, 0) == 0 {
      throw ZipError(kind: .commit, context: "writing \(path)", message: "the archive has no entries")
    }
    if zip_close(archive) != 0 {
      // On failure the handle stays open: deinit discards it.
      throw ZipError.from(zip_get_error(archive), .commit, "writing \(path)")
    }
    self.archive = nil
    for buffer in buffers { buffer.deallocate() }
    buffers = []
  }

  private func open() throws(ZipError) -> OpaquePointer {
    guard let archive else {
      throw ZipError(kind: .add, context: path, message: "the archive was already committed")
    }
    return archive
  }

  private func insert(name: String, source: OpaquePointer, compression: ZipCompression)
    throws(ZipError) -> Int
  {
    let archive = try open()
    let index = zip_file_add(archive, name, source, zip_flags_t(ZIP_FL_ENC_UTF_8))
    guard index >= 0 else {
      zip_source_free(source)
      throw ZipError.from(zip_get_error(archive), .add, "adding \(name)")
    }
    let entry = zip_uint64_t(index)
    let regularFile: zip_uint32_t = 0o100644 << 16
    guard zip_set_file_compression(archive, entry, compression.method, 0) == 0,
      zip_file_set_dostime(archive, entry, timestamp.time, timestamp.date, 0) == 0,
      zip_file_set_external_attributes(archive, entry, 0, UInt8(ZIP_OPSYS_UNIX), regularFile) == 0
    else {
      throw ZipError.from(zip_get_error(archive), .add, "setting attributes of \(name)")
    }
    return Int(index)
  }
}
