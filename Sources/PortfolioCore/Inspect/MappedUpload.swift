import CMappedFile

#if canImport(Glibc)
  import Glibc
#endif

/// An upload read through a mapping of its file rather than copied into a buffer: for large
/// files, the copy from the page cache was a sixth of validation's time. If the file is cut
/// short while mapped (replaced during the run), the missing bytes read as zeros instead of
/// ending the process, and `close()` says so: the inspection is then done again by reading.
struct MappedUpload: ~Copyable {
  let bytes: UnsafeRawBufferPointer

  /// Maps the first `count` bytes of `fd`; `nil` when it cannot be mapped (the caller reads).
  init?(fd: Int32, count: Int) {
    guard count > 0, let start = portfolio_map_file(fd, count) else { return nil }
    bytes = UnsafeRawBufferPointer(start: start, count: count)
  }

  /// Unmaps; `true` when the file was cut short while mapped.
  consuming func close() -> Bool {
    let cut = bytes.baseAddress.map { portfolio_unmap_file($0, bytes.count) != 0 } ?? false
    discard self
    return cut
  }

  deinit {
    if let start = bytes.baseAddress { _ = portfolio_unmap_file(start, bytes.count) }
  }
}
