import Digest

/// The digests of one upload, fed in order a step ahead of a parser that walks the file from
/// start to end (the MP3 frame walk, a JPEG's entropy-coded data): the parser then reads bytes
/// the hash has just brought into the core's own cache, instead of reading the whole file again
/// from the shared one after the hash has gone through it. Each byte is hashed exactly once and
/// in order, so the digests are those of one `update` with the whole file.
final class DigestFeed {
  let bytes: UnsafeRawBufferPointer
  private let hasher: DigestHasher
  private let md5: DigestHasher?
  /// The bytes before this offset are hashed.
  private(set) var fed = 0
  /// How far ahead of what the parser asks for it hashes (well inside a core's L2 cache).
  static let step = 256 * 1024

  init(_ bytes: UnsafeRawBufferPointer, hasher: DigestHasher, md5: DigestHasher?) {
    self.bytes = bytes
    self.hasher = hasher
    self.md5 = md5
  }

  /// Hashes through at least `end` (clamped to the file), a step at a time.
  @inline(__always) func through(_ end: Int) {
    if end > fed { advance(to: end) }
  }

  /// Hashes the rest of the file.
  func finish() { through(bytes.count) }

  private func advance(to end: Int) {
    let next = min(bytes.count, max(end, fed + Self.step))
    guard next > fed else { return }
    let piece = bytes.slice(fed..<next)
    hasher.update(piece)
    md5?.update(piece)
    fed = next
  }
}
