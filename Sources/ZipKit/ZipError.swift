import CLibZip

/// An error reported by libzip (or by our own caps on untrusted archives), carrying libzip's
/// message.
public struct ZipError: Error, CustomStringConvertible, Sendable {
  /// What went wrong, stable enough to map to finding codes.
  public enum Kind: String, Sendable {
    /// Opening the archive failed (missing, not a zip, inconsistent headers, truncated).
    case open
    /// Adding an entry failed.
    case add
    /// Writing the archive at `zip_close` failed: nothing was written under the final name.
    case commit
    /// Reading an entry failed, including a CRC mismatch detected at its end.
    case read
    /// An entry delivered more bytes than the caller's cap or than its header declared.
    case overLimit = "over-limit"
    /// The entry is encrypted or uses a compression method libzip cannot read.
    case unsupported
    /// The entry is encrypted and the password given does not open it (or none was given).
    case wrongPassword = "wrong-password"
  }

  public let kind: Kind
  /// What we were doing, for staff.
  public let context: String
  /// libzip's message (`zip_error_strerror`).
  public let message: String
  /// libzip's `ZIP_ER_*` code, 0 for our own caps.
  public let code: Int32
  /// The system `errno` behind it (`zip_error_code_system`), 0 when there is none.
  public let systemErrno: Int32

  public init(kind: Kind, context: String, message: String, code: Int32 = 0, systemErrno: Int32 = 0) {
    self.kind = kind
    self.context = context
    self.message = message
    self.code = code
    self.systemErrno = systemErrno
  }

  public var description: String { "\(context): \(message)" }

  /// `ZIP_ER_CRC`: the entry's content does not match its checksum.
  public var isChecksumMismatch: Bool { code == ZIP_ER_CRC }

  static func from(_ error: UnsafeMutablePointer<zip_error_t>?, _ kind: Kind, _ context: String)
    -> ZipError
  {
    guard let error else { return ZipError(kind: kind, context: context, message: "unknown error") }
    let text = zip_error_strerror(error).map { String(cString: $0) } ?? "unknown error"
    let system = zip_error_system_type(error) == ZIP_ET_SYS ? zip_error_code_system(error) : 0
    return ZipError(
      kind: kind, context: context, message: text, code: zip_error_code_zip(error), systemErrno: system)
  }

  static func fromCode(_ code: Int32, _ kind: Kind, _ context: String) -> ZipError {
    var error = zip_error_t()
    zip_error_init_with_code(&error, code)
    defer { zip_error_fini(&error) }
    return from(&error, kind, context)
  }
}
