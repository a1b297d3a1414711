import CLibZip

#if canImport(Glibc)
  import Glibc
#endif

/// One entry of an archive as its central directory declares it. Declared values come from an
/// untrusted header: sizes are checked again while reading.
public struct ZipEntry: Sendable, Equatable {
  public let index: Int
  /// The raw name bytes, exactly as stored (may hold `..`, `/`, `\`, NUL or invalid UTF-8).
  public let rawName: [UInt8]
  /// The declared uncompressed size.
  public let declaredSize: UInt64
  /// The declared compressed size.
  public let compressedSize: UInt64
  public let crc32: UInt32
  /// `ZIP_CM_*` compression method.
  public let compressionMethod: Int32
  /// `ZIP_EM_*` encryption method; 0 when not encrypted.
  public let encryptionMethod: UInt16
  /// The Unix mode from the external attributes, when the entry was made on Unix.
  public let unixMode: UInt32?

  /// The name as UTF-8, or `nil` when the bytes are not valid UTF-8.
  public var name: String? { String(validating: rawName, as: UTF8.self) }
  public var isStored: Bool { compressionMethod == ZIP_CM_STORE }
  public var isDeflated: Bool { compressionMethod == ZIP_CM_DEFLATE }
  public var isEncrypted: Bool { encryptionMethod != 0 }
  /// Whether the entry claims to be a symbolic link (`S_IFLNK` in its Unix mode).
  public var isSymlink: Bool { unixMode.map { $0 & 0o170000 == 0o120000 } ?? false }
  /// Whether the name ends with `/`, the zip convention for a folder.
  public var isDirectory: Bool { rawName.last == UInt8(ascii: "/") }
}

/// Reads a zip archive with libzip, treating it as untrusted.
///
/// libzip keeps any entry name, does not enforce declared sizes and reports a CRC mismatch
/// only after delivering the data: `read` caps the bytes itself and callers must not trust
/// what they received until `read` returned without throwing.
/// Not thread-safe: one reader per archive, on one task.
public final class ZipArchiveReader {
  private let archive: OpaquePointer
  public let path: String

  /// Opens the archive read-only with consistency checks (`ZIP_CHECKCONS`), which refuse
  /// archives whose local and central headers disagree.
  /// The corresponding C function is `zip_open`.
  public init(path: String, checkConsistency: Bool = true) throws(ZipError) {
    var code: Int32 = 0
    let flags = ZIP_RDONLY | (checkConsistency ? ZIP_CHECKCONS : 0)
    guard let archive = zip_open(path, flags, &code) else {
      throw ZipError.fromCode(code, .open, "opening \(path)")
    }
    self.archive = archive
    self.path = path
  }

  deinit { zip_discard(archive) }

  /// Whether a password was given for encrypted entries.
  public private(set) var hasPassword = false

  /// The password for encrypted entries (ZipCrypto or WinZip AES). Without one, an encrypted
  /// entry is refused as unsupported.
  /// The corresponding C function is `zip_set_default_password`.
  public func setPassword(_ password: String) throws(ZipError) {
    guard zip_set_default_password(archive, password) == 0 else {
      throw ZipError.from(zip_get_error(archive), .open, "setting the password of \(path)")
    }
    hasPassword = true
  }

  /// The number of entries the central directory declares.
  public var count: Int { Int(max(0, zip_get_num_entries(archive, 0))) }

  /// The entries, in central-directory order.
  /// The corresponding C functions are `zip_stat_index` and `zip_file_get_external_attributes`.
  public func entries() throws(ZipError) -> [ZipEntry] {
    var result: [ZipEntry] = []
    result.reserveCapacity(count)
    for index in 0..<count {
      var stat = zip_stat_t()
      zip_stat_init(&stat)
      guard zip_stat_index(archive, zip_uint64_t(index), zip_flags_t(ZIP_FL_ENC_RAW), &stat) == 0,
        let namePointer = stat.name
      else {
        throw ZipError.from(zip_get_error(archive), .read, "reading entry \(index) of \(path)")
      }
      let nameLength = strlen(namePointer)
      let rawName = namePointer.withMemoryRebound(to: UInt8.self, capacity: nameLength) {
        Array(UnsafeBufferPointer(start: $0, count: nameLength))
      }
      var system: zip_uint8_t = 0
      var attributes: zip_uint32_t = 0
      let hasAttributes =
        zip_file_get_external_attributes(archive, zip_uint64_t(index), 0, &system, &attributes) == 0
      result.append(
        ZipEntry(
          index: index, rawName: rawName, declaredSize: stat.size, compressedSize: stat.comp_size,
          crc32: stat.crc, compressionMethod: Int32(stat.comp_method),
          encryptionMethod: stat.encryption_method,
          unixMode: hasAttributes && system == ZIP_OPSYS_UNIX ? attributes >> 16 : nil))
    }
    return result
  }

  /// Streams an entry's bytes to `body` in chunks, refusing more than `maxBytes` or more than
  /// the entry declares. The CRC is checked by libzip at the end: only when this returns
  /// without throwing were the delivered bytes genuine.
  /// The corresponding C functions are `zip_fopen_index`, `zip_fread` and `zip_fclose`.
  public func read(
    _ entry: ZipEntry, maxBytes: UInt64, chunkSize: Int = 256 * 1024,
    _ body: (UnsafeRawBufferPointer) throws -> Void
  ) throws {
    if entry.isEncrypted && !hasPassword {
      throw ZipError(
        kind: .unsupported, context: "reading \(describe(entry))", message: "the entry is encrypted")
    }
    if entry.declaredSize > maxBytes {
      throw ZipError(
        kind: .overLimit, context: "reading \(describe(entry))",
        message: "declares \(entry.declaredSize) bytes; the cap is \(maxBytes)")
    }
    guard let file = zip_fopen_index(archive, zip_uint64_t(entry.index), 0) else {
      let error = ZipError.from(zip_get_error(archive), .read, "opening \(describe(entry))")
      if error.code == ZIP_ER_WRONGPASSWD || error.code == ZIP_ER_NOPASSWD {
        throw ZipError(kind: .wrongPassword, context: error.context, message: error.message, code: error.code)
      }
      if error.code == ZIP_ER_COMPNOTSUPP || error.code == ZIP_ER_ENCRNOTSUPP
        || error.code == ZIP_ER_NOPASSWD
      {
        throw ZipError(kind: .unsupported, context: error.context, message: error.message, code: error.code)
      }
      throw error
    }
    defer { zip_fclose(file) }
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
    defer { buffer.deallocate() }
    var total: UInt64 = 0
    let limit = min(maxBytes, entry.declaredSize)
    while true {
      let got = zip_fread(file, buffer.baseAddress, zip_uint64_t(chunkSize))
      if got < 0 {
        let error = ZipError.from(zip_file_get_error(file), .read, "reading \(describe(entry))")
        // ZipCrypto's one check byte lets a wrong password through 1 time in 256: the CRC
        // (or the inflater) then fails on the garbage it decrypts.
        if entry.isEncrypted && (error.code == ZIP_ER_CRC || error.code == ZIP_ER_ZLIB) {
          throw ZipError(kind: .wrongPassword, context: error.context, message: error.message, code: error.code)
        }
        throw error
      }
      if got == 0 { break }
      total += UInt64(got)
      if total > limit {
        throw ZipError(
          kind: .overLimit, context: "reading \(describe(entry))",
          message: "delivered more than the \(limit) bytes it may hold")
      }
      try body(UnsafeRawBufferPointer(rebasing: buffer[0..<Int(got)]))
    }
    if total != entry.declaredSize {
      throw ZipError(
        kind: .read, context: "reading \(describe(entry))",
        message: "delivered \(total) bytes but declares \(entry.declaredSize)")
    }
  }

  /// Reads a whole entry into memory (for small entries such as the manifest).
  public func readAll(_ entry: ZipEntry, maxBytes: UInt64) throws -> [UInt8] {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(Int(min(entry.declaredSize, maxBytes)))
    try read(entry, maxBytes: maxBytes) { bytes.append(contentsOf: $0) }
    return bytes
  }

  private func describe(_ entry: ZipEntry) -> String {
    "entry \(entry.index) (\(entry.name ?? "non-UTF-8 name")) of \(path)"
  }
}
