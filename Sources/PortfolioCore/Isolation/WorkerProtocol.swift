import Foundation

/// The messages between the supervisor and an inspection worker, each preceded by its length
/// (4 bytes, little-endian): the setup is JSON (once), requests and replies are `WorkerWire`'s
/// binary form. The worker's first message is `ready` with what it holds; then it answers each
/// request with one reply.
enum WorkerProtocol {
  /// No message is longer (a reply holds one file's facts or one package's findings — up to
  /// 10,000 entries' worth; a request one path).
  static let maxMessageBytes = 64 << 20
  /// Requests in flight to one worker never hold more bytes than this, half a pipe: the
  /// supervisor never blocks writing while the worker blocks writing a long reply.
  static let maxBytesInFlight = 32 << 10

  /// What a worker is told once, as its first input.
  struct Setup: Codable, Equatable {
    var maxParsedBytes: Int
    var parseLimits: ParseLimits
    var limits: WorkerLimits
  }

  /// One upload to inspect, or (`package`) one untrusted package to check as `check` does.
  struct Request {
    var path: String
    var withMD5: Bool = false
    var package = false
    var displayName: String?
    /// The drop's scan found a regular file at `path` (`FileInspector.inspect`'s `scanned`).
    var scanned = false
  }

  /// A worker's answer.
  enum Reply {
    /// Set up: its address space at start and the limit it set (`RLIMIT_AS`), in bytes.
    case ready(baseline: Int64, addressLimit: Int64)
    case inspected(FileInspection)
    case checked(PackageCheck)
    case notRegular(String)
    case system(call: String, errno: Int32)
    /// The inspection came close to the memory limit (its result is not trusted): the peak
    /// address space of the worker, in bytes. The worker ends after sending it.
    case memoryExhausted(peak: Int64)
  }

  static func frame(_ setup: Setup) -> [UInt8] { frame(bytes: [UInt8]((try? JSONEncoder().encode(setup)) ?? Data())) }
  static func frame(_ request: Request) -> [UInt8] { frame(bytes: WorkerWire.encode(request)) }
  static func frame(_ reply: Reply) -> [UInt8] { frame(bytes: WorkerWire.encode(reply)) }

  static func frame(bytes body: [UInt8]) -> [UInt8] {
    let count = UInt32(clamping: body.count)
    return [UInt8(count & 0xFF), UInt8(count >> 8 & 0xFF), UInt8(count >> 16 & 0xFF), UInt8(count >> 24)]
      + body
  }

  static func length(_ header: [UInt8]) -> Int {
    Int(header[0]) | Int(header[1]) << 8 | Int(header[2]) << 16 | Int(header[3]) << 24
  }
}
