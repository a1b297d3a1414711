import CZlib

/// zlib's inflate (counted, for PNG image data) and CRC-32 (PNG chunks).
public enum Inflate {
  /// Why a stream could not be inflated.
  public enum Failure: Error, Sendable, Equatable {
    /// The data is not a valid zlib stream (zlib's message).
    case corrupt(String)
  }

  /// CRC-32 (as PNG and zip use it).
  /// The corresponding C function is `crc32`.
  public static func crc32(_ bytes: UnsafeRawBufferPointer, seed: UInt32 = 0) -> UInt32 {
    guard let base = bytes.baseAddress else { return seed }
    return UInt32(CZlib.crc32(uLong(seed), base.assumingMemoryBound(to: Bytef.self), uInt(bytes.count)))
  }
}

extension Inflate {
  /// What inflating a stream split over several buffers (PNG `IDAT` chunks) produced.
  public struct Count: Sendable, Equatable {
    /// Bytes produced (never more than the cap plus one buffer).
    public var produced: Int
    /// Whether the stream reached its end marker (and its Adler-32 check passed).
    public var ended: Bool
    /// Input bytes left after the end marker.
    public var leftOver: Int
  }

  /// Inflates a zlib stream given in pieces, streaming, keeping none of the output: counts what
  /// it yields, stopping once it passes `maxOutput`. A broken stream fails with zlib's message.
  public static func count(_ pieces: [UnsafeRawBufferPointer], maxOutput: Int) -> Result<Count, Failure> {
    var stream = z_stream()
    guard CZlib_inflateInit(&stream) == Z_OK else { return .failure(.corrupt("inflateInit failed")) }
    defer { inflateEnd(&stream) }
    let chunk = 256 * 1024
    let buffer = UnsafeMutablePointer<Bytef>.allocate(capacity: chunk)
    defer { buffer.deallocate() }
    var produced = 0
    for (index, piece) in pieces.enumerated() {
      stream.next_in = UnsafeMutablePointer(mutating: piece.baseAddress?.assumingMemoryBound(to: Bytef.self))
      stream.avail_in = uInt(piece.count)
      while stream.avail_in > 0 {
        stream.next_out = buffer
        stream.avail_out = uInt(chunk)
        let status = inflate(&stream, Z_NO_FLUSH)
        produced += chunk - Int(stream.avail_out)
        if produced > maxOutput { return .success(Count(produced: produced, ended: false, leftOver: 0)) }
        switch status {
        case Z_STREAM_END:
          let rest = Int(stream.avail_in) + pieces[(index + 1)...].reduce(0) { $0 + $1.count }
          return .success(Count(produced: produced, ended: true, leftOver: rest))
        case Z_OK, Z_BUF_ERROR: continue
        default:
          return .failure(.corrupt(stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"))
        }
      }
    }
    // Input ended: drain what zlib still holds.
    while true {
      stream.next_out = buffer
      stream.avail_out = uInt(chunk)
      let status = inflate(&stream, Z_NO_FLUSH)
      produced += chunk - Int(stream.avail_out)
      if status == Z_STREAM_END { return .success(Count(produced: produced, ended: true, leftOver: 0)) }
      if status != Z_OK || stream.avail_out != 0 || produced > maxOutput {
        if status != Z_OK && status != Z_BUF_ERROR {
          return .failure(.corrupt(stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"))
        }
        return .success(Count(produced: produced, ended: false, leftOver: 0))
      }
    }
  }
}
