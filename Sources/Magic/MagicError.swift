import CLibMagic

/// An error reported by libmagic, carrying the library's own message.
public struct MagicError: Error, CustomStringConvertible, Sendable {
  /// What the pipeline was doing when libmagic failed.
  public enum Operation: String, Sendable {
    case open = "magic_open"
    case load = "magic_load"
    case setFlags = "magic_setflags"
    case setParameter = "magic_setparam"
    case buffer = "magic_buffer"
    case descriptor = "magic_descriptor"
  }

  /// The libmagic call that failed.
  public let operation: Operation
  /// libmagic's message (`magic_error`), or a description when it gave none.
  public let message: String
  /// The `errno` libmagic reported, 0 when none.
  public let errno: Int32

  public var description: String {
    "libmagic \(operation.rawValue) failed: \(message)" + (errno != 0 ? " (errno \(errno))" : "")
  }

  static func fromCookie(_ cookie: magic_t?, _ operation: Operation) -> MagicError {
    let text = cookie.flatMap { magic_error($0) }.map { String(cString: $0) }
    return MagicError(
      operation: operation, message: text ?? "no message from libmagic",
      errno: cookie.map { magic_errno($0) } ?? 0)
  }
}
