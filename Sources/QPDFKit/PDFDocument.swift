import CLibQPDF

/// Why qpdf could not open a document.
public enum PDFOpenError: Error, Sendable, Equatable {
  /// The document needs a user password (the empty one did not open it).
  case passwordRequired
  /// qpdf could not read it even with recovery; the text is qpdf's own message.
  case damaged(String)
  /// qpdf could not start (out of memory).
  case unavailable
}

/// A PDF opened read-only by libqpdf from bytes in memory: xref tables and streams, object
/// streams, repair of damaged files and decryption with the empty user password are qpdf's.
///
/// Owns one `qpdf_data` (freed in `deinit`); the bytes must outlive the document. Not
/// thread-safe: one document per task. Errors and warnings never reach stderr.
public final class PDFDocument {
  fileprivate let handle: qpdf_data
  /// qpdf's warnings while reading and walking (damage it repaired), first ones only.
  public private(set) var warnings: [String] = []
  /// At most this many warnings are kept as evidence.
  public static let keptWarnings = 8

  /// Opens `bytes` with the empty password. The corresponding C function is `qpdf_read_memory`.
  public init(bytes: UnsafeRawBufferPointer, description: String = "upload") throws(PDFOpenError) {
    guard let handle = qpdf_init() else { throw .unavailable }
    self.handle = handle
    qpdf_silence_errors(handle)
    qpdf_set_suppress_warnings(handle, QPDF_TRUE)
    let base = bytes.baseAddress?.assumingMemoryBound(to: CChar.self)
    let code = qpdf_read_memory(handle, description, base, UInt64(bytes.count), "")
    if code & QPDF_ERRORS != 0, let error = qpdf_get_error(handle) {
      if qpdf_get_error_code(handle, error) == qpdf_e_password { throw .passwordRequired }
      throw .damaged(Self.text(handle, error))
    }
    collectWarnings()
  }

  deinit {
    var data: qpdf_data? = handle
    qpdf_cleanup(&data)
  }

  /// Whether the document is encrypted (it opened, so with the empty user password).
  public var isEncrypted: Bool { qpdf_is_encrypted(handle) != QPDF_FALSE }
  /// The trailer of the latest revision (or the one qpdf rebuilt).
  public var trailer: PDFObject { PDFObject(document: self, handle: qpdf_get_trailer(handle)) }

  /// Moves qpdf's pending warnings (and an error left by an object access) into `warnings`.
  public func collectWarnings() {
    while qpdf_more_warnings(handle) != QPDF_FALSE {
      let warning = qpdf_next_warning(handle)
      if warnings.count < Self.keptWarnings { warnings.append(Self.text(handle, warning)) }
    }
    if qpdf_has_error(handle) != QPDF_FALSE {
      let error = qpdf_get_error(handle)
      if warnings.count < Self.keptWarnings { warnings.append(Self.text(handle, error)) }
    }
  }

  private static func text(_ handle: qpdf_data, _ error: qpdf_error?) -> String {
    guard let error, let detail = qpdf_get_error_message_detail(handle, error) else { return "unknown qpdf error" }
    return String(cString: detail)
  }
}

/// One object of a `PDFDocument`: owns one qpdf object handle, released when the object is
/// (qpdf keeps every handle it gave out until `qpdf_oh_release` or cleanup, so a long walk
/// would otherwise hold all of them). Indirect references are resolved by qpdf on access.
public final class PDFObject {
  fileprivate let document: PDFDocument
  fileprivate let handle: qpdf_oh

  fileprivate init(document: PDFDocument, handle: qpdf_oh) {
    self.document = document
    self.handle = handle
  }

  /// The corresponding C function is `qpdf_oh_release`.
  deinit { qpdf_oh_release(document.handle, handle) }

  public enum Kind: Sendable, Equatable {
    case null, boolean, integer, real, string, name, array, dictionary, stream, other
  }

  private var data: qpdf_data { document.handle }

  public var kind: Kind {
    switch qpdf_oh_get_type_code(data, handle) {
    case ot_null, ot_uninitialized: .null
    case ot_boolean: .boolean
    case ot_integer: .integer
    case ot_real: .real
    case ot_string: .string
    case ot_name: .name
    case ot_array: .array
    case ot_dictionary: .dictionary
    case ot_stream: .stream
    default: .other
    }
  }

  /// A dictionary's (or a stream dictionary's) value for `key` (without the slash), or `nil`
  /// when absent or null.
  public subscript(key: String) -> PDFObject? {
    guard kind == .dictionary || kind == .stream else { return nil }
    let stream = kind == .stream
    let dictionary = stream ? qpdf_oh_get_dict(data, handle) : handle
    // The stream's dictionary is a handle of its own: released here.
    defer { if stream { qpdf_oh_release(data, dictionary) } }
    guard qpdf_oh_has_key(data, dictionary, "/" + key) != QPDF_FALSE else { return nil }
    let value = PDFObject(document: document, handle: qpdf_oh_get_key(data, dictionary, "/" + key))
    return value.kind == .null ? nil : value
  }

  /// An array's items (empty for anything else), at most `limit` of them.
  public func items(limit: Int) -> [PDFObject] {
    guard kind == .array else { return [] }
    let count = min(Int(qpdf_oh_get_array_n_items(data, handle)), limit)
    guard count > 0 else { return [] }
    return (0..<count).map { PDFObject(document: document, handle: qpdf_oh_get_array_item(data, handle, Int32($0))) }
  }

  /// An array's length (0 for anything else).
  public var itemCount: Int { kind == .array ? Int(qpdf_oh_get_array_n_items(data, handle)) : 0 }

  /// A name's value without the slash (`nil` for anything else).
  public var name: String? {
    guard kind == .name, let value = qpdf_oh_get_name(data, handle) else { return nil }
    let text = String(cString: value)
    return text.hasPrefix("/") ? String(text.dropFirst()) : text
  }

  /// The object number and generation of an indirect object, `nil` for a direct one.
  public var identity: ObjectIdentity? {
    guard qpdf_oh_is_indirect(data, handle) != QPDF_FALSE else { return nil }
    return ObjectIdentity(number: qpdf_oh_get_object_id(data, handle), generation: qpdf_oh_get_generation(data, handle))
  }
}

/// An indirect object's number and generation: what a visited set remembers.
public struct ObjectIdentity: Hashable, Sendable {
  public let number: Int32
  public let generation: Int32
}
