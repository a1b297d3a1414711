import CSHA256Pair

/// The SHA-256 of two byte buffers computed together, their rounds interleaved with the x86 SHA
/// extensions: both in little more than the time of one (`Sources/CSHA256Pair`). The digests are
/// those of `DigestHasher(.sha256)`; on a CPU without the extensions there is no pair and each
/// buffer is hashed by OpenSSL as before.
public enum SHA256Pair {
  /// Whether this CPU can hash two buffers together.
  public static let isAvailable = portfolio_sha256_pair_supported() != 0

  /// The lowercase hex SHA-256 of `first` and of `second`, or `nil` when `isAvailable` is false.
  /// The corresponding C function is `portfolio_sha256_pair`.
  public static func digests(_ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer) -> (String, String)? {
    guard isAvailable else { return nil }
    var a = [UInt8](repeating: 0, count: 32)
    var b = [UInt8](repeating: 0, count: 32)
    // A buffer of no bytes may have no address; the C function reads none of it.
    var none: UInt8 = 0
    withUnsafePointer(to: &none) { empty in
      let pointerA = first.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? empty
      let pointerB = second.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? empty
      portfolio_sha256_pair(pointerA, first.count, pointerB, second.count, &a, &b)
    }
    return (lowercaseHex(a), lowercaseHex(b))
  }
}
