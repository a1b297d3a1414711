import CLibCrypto

/// An error of OpenSSL's digest API.
public struct DigestError: Error, CustomStringConvertible, Sendable {
  public let call: String
  public var description: String { "OpenSSL \(call) failed" }
}

/// A streaming digest over OpenSSL's EVP API (libcrypto, which libzip already links; SHA-256
/// uses the CPU's SHA instructions). Feed bytes with `update`, then `finish` once; `reset` for
/// the next file. Not thread-safe: one hasher per file, on one task.
public final class DigestHasher {
  /// The digests the pipeline needs: SHA-256 identifies content everywhere; MD5 is what the
  /// central database's rosters (名冊) carry next to each file link.
  public enum Algorithm: Sendable {
    case sha256
    case md5

    var size: Int {
      switch self {
      case .sha256: 32
      case .md5: 16
      }
    }

    var method: OpaquePointer? {
      switch self {
      case .sha256: EVP_sha256()
      case .md5: EVP_md5()
      }
    }
  }

  public let algorithm: Algorithm
  private let context: OpaquePointer

  /// The corresponding C functions are `EVP_MD_CTX_new` and `EVP_DigestInit_ex`.
  public init(_ algorithm: Algorithm) throws(DigestError) {
    guard let context = EVP_MD_CTX_new() else { throw DigestError(call: "EVP_MD_CTX_new") }
    guard EVP_DigestInit_ex(context, algorithm.method, nil) == 1 else {
      EVP_MD_CTX_free(context)
      throw DigestError(call: "EVP_DigestInit_ex")
    }
    self.algorithm = algorithm
    self.context = context
  }

  deinit { EVP_MD_CTX_free(context) }

  /// Starts over, for the next file (cheaper than a new hasher).
  public func reset() throws(DigestError) {
    guard EVP_DigestInit_ex(context, algorithm.method, nil) == 1 else {
      throw DigestError(call: "EVP_DigestInit_ex")
    }
  }

  /// The corresponding C function is `EVP_DigestUpdate`.
  public func update(_ bytes: UnsafeRawBufferPointer) {
    guard let base = bytes.baseAddress, bytes.count > 0 else { return }
    // EVP_DigestUpdate on an initialised context cannot fail.
    _ = EVP_DigestUpdate(context, base, bytes.count)
  }

  /// The digest as lowercase hex.
  /// The corresponding C function is `EVP_DigestFinal_ex`.
  public func finish() throws(DigestError) -> String {
    var digest = [UInt8](repeating: 0, count: 64)
    var length: UInt32 = 0
    guard EVP_DigestFinal_ex(context, &digest, &length) == 1, Int(length) == algorithm.size else {
      throw DigestError(call: "EVP_DigestFinal_ex")
    }
    return lowercaseHex(Array(digest.prefix(Int(length))))
  }

  /// The digest of a byte array, as lowercase hex.
  public static func hex(of bytes: [UInt8], _ algorithm: Algorithm = .sha256) throws(DigestError) -> String {
    let hasher = try DigestHasher(algorithm)
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
