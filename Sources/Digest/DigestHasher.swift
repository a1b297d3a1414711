import CLibCrypto

/// An error of OpenSSL's digest API.
public struct DigestError: Error, CustomStringConvertible, Sendable {
  public let call: String
  public var description: String { "OpenSSL \(call) failed" }
}

/// A streaming SHA-256 over OpenSSL's EVP API (libcrypto, which libzip already links; it uses
/// the CPU's SHA instructions). Feed bytes with `update`, then `finish` once.
/// Not thread-safe: one hasher per file, on one task.
public final class SHA256Hasher {
  private let context: OpaquePointer

  /// The corresponding C functions are `EVP_MD_CTX_new` and `EVP_DigestInit_ex`.
  public init() throws(DigestError) {
    guard let context = EVP_MD_CTX_new() else { throw DigestError(call: "EVP_MD_CTX_new") }
    guard EVP_DigestInit_ex(context, EVP_sha256(), nil) == 1 else {
      EVP_MD_CTX_free(context)
      throw DigestError(call: "EVP_DigestInit_ex")
    }
    self.context = context
  }

  deinit { EVP_MD_CTX_free(context) }

  /// Starts over, for the next file (cheaper than a new hasher).
  public func reset() throws(DigestError) {
    guard EVP_DigestInit_ex(context, EVP_sha256(), nil) == 1 else {
      throw DigestError(call: "EVP_DigestInit_ex")
    }
  }

  /// The corresponding C function is `EVP_DigestUpdate`.
  public func update(_ bytes: UnsafeRawBufferPointer) {
    guard let base = bytes.baseAddress, bytes.count > 0 else { return }
    // EVP_DigestUpdate on an initialised SHA-256 context cannot fail.
    _ = EVP_DigestUpdate(context, base, bytes.count)
  }

  /// The digest as lowercase hex.
  /// The corresponding C function is `EVP_DigestFinal_ex`.
  public func finish() throws(DigestError) -> String {
    var digest = [UInt8](repeating: 0, count: 32)
    var length: UInt32 = 0
    guard EVP_DigestFinal_ex(context, &digest, &length) == 1, length == 32 else {
      throw DigestError(call: "EVP_DigestFinal_ex")
    }
    return lowercaseHex(digest)
  }

  /// SHA-256 of a byte array, as lowercase hex.
  public static func hex(of bytes: [UInt8]) throws(DigestError) -> String {
    let hasher = try SHA256Hasher()
    bytes.withUnsafeBytes { hasher.update($0) }
    return try hasher.finish()
  }
}

func lowercaseHex(_ bytes: [UInt8]) -> String {
  let digits = Array("0123456789abcdef".utf8)
  var out = [UInt8]()
  out.reserveCapacity(bytes.count * 2)
  for byte in bytes {
    out.append(digits[Int(byte >> 4)])
    out.append(digits[Int(byte & 0x0F)])
  }
  return String(decoding: out, as: UTF8.self)
}
