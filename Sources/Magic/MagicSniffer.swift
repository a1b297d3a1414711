import CLibMagic

#if canImport(Glibc)
  import Glibc
#endif

/// Identifies content by its bytes with libmagic and the system's magic database.
///
/// A libmagic handle is **not thread-safe**: sharing one across tasks crashes. Give every
/// worker its own `MagicSniffer` (opening one costs well under a millisecond). The type is
/// deliberately not `Sendable` so the compiler keeps it on one task.
public final class MagicSniffer {
  private let cookie: magic_t
  /// How many leading bytes libmagic's text-encoding check reads: the smaller of
  /// `MAGIC_PARAM_ENCODING_MAX` and `MAGIC_PARAM_BYTES_MAX`.
  private let encodingChecked: Int

  /// Opens a handle and loads the system magic database.
  ///
  /// - Parameter bytesMax: how many bytes libmagic may look at per call
  ///   (`MAGIC_PARAM_BYTES_MAX`); `nil` keeps the library's default.
  /// The corresponding C functions are `magic_open` and `magic_load`.
  public init(bytesMax: Int? = nil) throws(MagicError) {
    guard let cookie = magic_open(MAGIC_MIME_TYPE | MAGIC_ERROR) else {
      throw MagicError(operation: .open, message: "could not allocate a handle", errno: 0)
    }
    if magic_load(cookie, nil) != 0 {
      let error = MagicError.fromCookie(cookie, .load)
      magic_close(cookie)
      throw error
    }
    if var limit = bytesMax {
      if magic_setparam(cookie, MAGIC_PARAM_BYTES_MAX, &limit) != 0 {
        let error = MagicError.fromCookie(cookie, .setParameter)
        magic_close(cookie)
        throw error
      }
    }
    var encodingMax = 0
    var bytesLimit = 0
    _ = magic_getparam(cookie, MAGIC_PARAM_ENCODING_MAX, &encodingMax)
    _ = magic_getparam(cookie, MAGIC_PARAM_BYTES_MAX, &bytesLimit)
    encodingChecked = max(0, min(encodingMax, bytesLimit))
    self.cookie = cookie
  }

  deinit { magic_close(cookie) }

  /// The MIME type of the bytes, e.g. `application/pdf`.
  ///
  /// Pass the first bytes of a file you already read: no second read happens.
  /// An empty buffer answers `application/x-empty`.
  /// The corresponding C function is `magic_buffer`.
  public func mimeType(of bytes: UnsafeRawBufferPointer) throws(MagicError) -> String {
    try ask(flags: MAGIC_MIME_TYPE | MAGIC_ERROR, bytes)
  }

  /// A human-readable description of the bytes, e.g. `PE32 executable (GUI) Intel 80386`.
  ///
  /// Used as evidence in findings ("the file is really …").
  /// The corresponding C function is `magic_buffer` with `MAGIC_NONE`.
  public func describe(_ bytes: UnsafeRawBufferPointer) throws(MagicError) -> String {
    try ask(flags: MAGIC_ERROR, bytes)
  }

  /// Convenience for byte arrays.
  public func mimeType(of bytes: [UInt8]) throws(MagicError) -> String {
    var result: Result<String, MagicError> = .success("")
    bytes.withUnsafeBytes { raw in
      result = Result { () throws(MagicError) -> String in try mimeType(of: raw) }
    }
    return try result.get()
  }

  /// Convenience for byte arrays.
  public func describe(_ bytes: [UInt8]) throws(MagicError) -> String {
    var result: Result<String, MagicError> = .success("")
    bytes.withUnsafeBytes { raw in
      result = Result { () throws(MagicError) -> String in try describe(raw) }
    }
    return try result.get()
  }

  /// libmagic's answer. Bytes that are text in none of the encodings libmagic knows skip its
  /// encoding check (`MAGIC_NO_CHECK_ENCODING`): it would answer "not text", and the rest of the
  /// library then runs exactly as after that answer. `encodingCheck: true` always runs it (tests).
  func ask(flags: Int32, _ bytes: UnsafeRawBufferPointer, encodingCheck: Bool = false) throws(MagicError) -> String {
    let skip = !encodingCheck && Self.isNeverText(bytes, checked: encodingChecked)
    if magic_setflags(cookie, skip ? flags | MAGIC_NO_CHECK_ENCODING : flags) != 0 {
      throw MagicError.fromCookie(cookie, .setFlags)
    }
    // libmagic wants a non-null pointer even for zero bytes.
    var empty: UInt8 = 0
    let answer: UnsafePointer<CChar>? =
      if let base = bytes.baseAddress, bytes.count > 0 {
        magic_buffer(cookie, base, bytes.count)
      } else {
        magic_buffer(cookie, &empty, 0)
      }
    guard let answer else { throw MagicError.fromCookie(cookie, .buffer) }
    return String(cString: answer)
  }
}

extension MagicSniffer {
  /// Whether libmagic's encoding check (`file_encoding`) can only find that these bytes are not
  /// text: a 0x00 among the `checked` first bytes is no character in ASCII, UTF-8, ISO-8859,
  /// extended ASCII or EBCDIC, and UTF-16 and UTF-32 are taken as text only after a byte-order
  /// mark (FF FE, FE FF, 00 00 FE FF). The check translates the whole window to ASCII for its
  /// EBCDIC test: ~35 % of libmagic's time on a large file's 64 KiB.
  static func isNeverText(_ bytes: UnsafeRawBufferPointer, checked: Int) -> Bool {
    let first = UnsafeRawBufferPointer(rebasing: bytes[0..<min(bytes.count, checked)])
    guard first.count >= 2, !first.starts(with: [0xFF, 0xFE]), !first.starts(with: [0xFE, 0xFF]),
      !first.starts(with: [0x00, 0x00, 0xFE, 0xFF]), let base = first.baseAddress
    else { return false }
    return memchr(base, 0, first.count) != nil
  }

  /// The total length of an ID3v2 tag at the start of `prefix` (header, body and footer), or
  /// `nil` when the bytes do not start with a well-formed ID3v2 header.
  ///
  /// libmagic recognises an MP3 only when audio frames fall inside the window it reads; a
  /// tag holding cover art pushes them out. Sniff the bytes after the tag instead.
  public static func id3v2TagLength(_ prefix: UnsafeRawBufferPointer) -> Int? {
    guard prefix.count >= 10, prefix[0] == 0x49, prefix[1] == 0x44, prefix[2] == 0x33,
      prefix[3] != 0xFF, prefix[4] != 0xFF
    else { return nil }
    var size = 0
    for index in 6..<10 {
      let byte = prefix[index]
      guard byte & 0x80 == 0 else { return nil }  // sizes are "syncsafe": 7 bits per byte
      size = size << 7 | Int(byte)
    }
    let hasFooter = prefix[5] & 0x10 != 0
    return 10 + size + (hasFooter ? 10 : 0)
  }
}
