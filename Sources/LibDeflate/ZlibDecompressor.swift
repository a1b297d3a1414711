import CLibDeflate

/// A libdeflate decompressor with its output and input buffers, kept from one stream to the
/// next: one per worker (not thread-safe). Reusing them spares the kernel a fresh, zeroed page for
/// every page of every image's pixel data.
public final class ZlibDecompressor {
  private let decompressor: OpaquePointer
  private var output: UnsafeMutableRawBufferPointer
  private var joined: UnsafeMutableRawBufferPointer

  public init?() {
    guard let decompressor = libdeflate_alloc_decompressor() else { return nil }
    self.decompressor = decompressor
    output = .allocate(byteCount: 1, alignment: 16)
    joined = .allocate(byteCount: 1, alignment: 16)
  }

  deinit {
    libdeflate_free_decompressor(decompressor)
    output.deallocate()
    joined.deallocate()
  }

  /// Decompresses the zlib stream made of `pieces` (joined when there are several) into a buffer
  /// of `room` bytes. The corresponding C function is `libdeflate_zlib_decompress_ex`.
  public func decompress(_ pieces: [UnsafeRawBufferPointer], room: Int) -> ZlibBuffer.Outcome {
    guard room >= 0 else { return .invalid }
    let input: UnsafeRawBufferPointer
    if pieces.count == 1 {
      input = pieces[0]
    } else {
      let total = pieces.reduce(0) { $0 + $1.count }
      Self.grow(&joined, to: total)
      var at = 0
      for piece in pieces where piece.count > 0 {
        UnsafeMutableRawBufferPointer(rebasing: joined[at..<at + piece.count]).copyMemory(from: piece)
        at += piece.count
      }
      input = UnsafeRawBufferPointer(rebasing: joined[0..<total])
    }
    Self.grow(&output, to: room)
    var consumed = 0
    var produced = 0
    let result = libdeflate_zlib_decompress_ex(
      decompressor, input.baseAddress, input.count, output.baseAddress, room, &consumed, &produced)
    switch result {
    case LIBDEFLATE_SUCCESS: return .ended(produced: produced, leftOver: input.count - consumed)
    case LIBDEFLATE_INSUFFICIENT_SPACE: return .moreThan(room)
    default: return .invalid
    }
  }

  private static func grow(_ buffer: inout UnsafeMutableRawBufferPointer, to count: Int) {
    guard buffer.count < count else { return }
    buffer.deallocate()
    buffer = .allocate(byteCount: count, alignment: 16)
  }
}

/// libdeflate's CRC-32 (the PNG and zip polynomial), several times zlib's on this CPU.
/// The corresponding C function is `libdeflate_crc32`.
public func deflateCRC32(_ bytes: UnsafeRawBufferPointer, seed: UInt32 = 0) -> UInt32 {
  libdeflate_crc32(seed, bytes.baseAddress, bytes.count)
}
