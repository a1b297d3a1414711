import CLibXLSXWriter

/// An error reported by libxlsxwriter, carrying the library's own message (`lxw_strerror`).
public struct XLSXError: Error, CustomStringConvertible, Sendable {
  /// The libxlsxwriter call that failed.
  public let call: String
  /// What it was doing it for (a sheet name, a cell), for staff.
  public let context: String
  /// libxlsxwriter's message.
  public let message: String
  /// libxlsxwriter's `lxw_error` code (0 when the call returned `NULL` instead of a code).
  public let code: Int32

  public init(call: String, context: String, message: String, code: Int32 = 0) {
    self.call = call
    self.context = context
    self.message = message
    self.code = code
  }

  /// The error of a call that returned an `lxw_error` other than `LXW_NO_ERROR`.
  static func check(_ result: lxw_error, call: String, context: String) throws(XLSXError) {
    guard result != LXW_NO_ERROR else { return }
    let message = lxw_strerror(result).map { String(cString: $0) } ?? "unknown libxlsxwriter error"
    throw XLSXError(call: call, context: context, message: message, code: Int32(result.rawValue))
  }

  public var description: String { "libxlsxwriter \(call) (\(context)): \(message)" }
}
