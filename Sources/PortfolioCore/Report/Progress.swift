import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// Progress of a long run on a terminal: files/s, MB/s and ETA on stderr, at most five times
/// a second. Silent when stderr is not a terminal (logs take over there).
public final class ProgressMeter: Sendable {
  struct State {
    var totalFiles = 0
    var totalBytes: Int64 = 0
    var files = 0
    var bytes: Int64 = 0
    var started = Date()
    var lastPrinted = Date.distantPast
  }

  private let state = Mutex(State())
  private let label: String
  public let enabled: Bool

  public init(label: String, enabled: Bool = isatty(STDERR_FILENO) == 1) {
    self.label = label
    self.enabled = enabled
  }

  public func start(files: Int, bytes: Int64) {
    state.withLock {
      $0 = State(totalFiles: files, totalBytes: bytes, started: Date())
    }
  }

  public func advance(bytes: Int64) {
    guard enabled else { return }
    let line: String? = state.withLock { state in
      state.files += 1
      state.bytes = state.bytes.addingSaturated(bytes)
      let now = Date()
      guard now.timeIntervalSince(state.lastPrinted) >= 0.2 || state.files == state.totalFiles else { return nil }
      state.lastPrinted = now
      return Self.line(label, state, now: now)
    }
    if let line { FileHandle.standardError.write(Data(("\r" + line + "\u{1B}[K").utf8)) }
  }

  public func finish() {
    guard enabled else { return }
    let line = state.withLock { Self.line(label, $0, now: Date()) }
    FileHandle.standardError.write(Data(("\r" + line + "\u{1B}[K\n").utf8))
  }

  static func line(_ label: String, _ state: State, now: Date) -> String {
    let elapsed = max(now.timeIntervalSince(state.started), 0.001)
    let filesPerSecond = Double(state.files) / elapsed
    let megabytesPerSecond = Double(state.bytes) / 1_048_576 / elapsed
    let remaining = Double(state.totalBytes - state.bytes) / max(Double(state.bytes) / elapsed, 1)
    let seconds = Int(exactly: min(max(remaining, 0), 1e9).rounded()) ?? 0
    let eta = state.files >= state.totalFiles ? "done" : "ETA \(seconds)s"
    return "\(label) \(state.files)/\(state.totalFiles) files  \(Int(min(filesPerSecond, 1e12))) files/s  "
      + String(format: "%.1f", megabytesPerSecond) + " MB/s  \(eta)"
  }
}
