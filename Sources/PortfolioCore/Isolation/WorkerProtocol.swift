import Foundation

/// The messages between the supervisor and an inspection worker: each is one JSON value
/// preceded by its length (4 bytes, little-endian). The worker's first message is `ready`
/// with what it holds; then it answers each request with one reply.
enum WorkerProtocol {
  /// No message is longer (a reply holds one file's facts; a request one path).
  static let maxMessageBytes = 1 << 20

  /// What a worker is told once, as its first input.
  struct Setup: Codable {
    var maxParsedBytes: Int
    var parseLimits: ParseLimits
    var limits: WorkerLimits
  }

  /// One file to inspect.
  struct Request: Codable {
    var path: String
    var withMD5: Bool
  }

  /// A worker's answer.
  enum Reply: Codable {
    /// Set up: its address space at start and the limit it set (`RLIMIT_AS`), in bytes.
    case ready(baseline: Int64, addressLimit: Int64)
    case inspected(FileInspection)
    case notRegular(String)
    case system(call: String, errno: Int32)
    /// The inspection came close to the memory limit (its result is not trusted): the peak
    /// address space of the worker, in bytes. The worker ends after sending it.
    case memoryExhausted(peak: Int64)
  }

  static func frame<Message: Encodable>(_ message: Message) -> [UInt8] {
    let body = (try? JSONEncoder().encode(message)) ?? Data()
    let count = UInt32(body.count)
    return [UInt8(count & 0xFF), UInt8(count >> 8 & 0xFF), UInt8(count >> 16 & 0xFF), UInt8(count >> 24)]
      + [UInt8](body)
  }

  static func length(_ header: [UInt8]) -> Int {
    Int(header[0]) | Int(header[1]) << 8 | Int(header[2]) << 16 | Int(header[3]) << 24
  }
}
