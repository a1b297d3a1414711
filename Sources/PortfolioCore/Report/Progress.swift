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
  /// What is counted: "files", or "students" for the stages that work per student.
  private let unit: String
  public let enabled: Bool

  public init(label: String, unit: String = "files", enabled: Bool = isatty(STDERR_FILENO) == 1) {
    self.label = label
    self.unit = unit
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
      return Self.line(label, unit, state, now: now)
    }
    if let line { FileHandle.standardError.write(Data(("\r" + line + "\u{1B}[K").utf8)) }
  }

  public func finish() {
    guard enabled else { return }
    let line = state.withLock { Self.line(label, unit, $0, now: Date()) }
    FileHandle.standardError.write(Data(("\r" + line + "\u{1B}[K\n").utf8))
  }

  static func line(_ label: String, _ unit: String, _ state: State, now: Date) -> String {
    let elapsed = max(now.timeIntervalSince(state.started), 0.001)
    let perSecond = Double(state.files) / elapsed
    // Bytes when they are counted (validation), else the units themselves.
    let done = state.totalBytes > 0 ? Double(state.bytes) : Double(state.files)
    let total = state.totalBytes > 0 ? Double(state.totalBytes) : Double(state.totalFiles)
    let remaining = (total - done) / max(done / elapsed, 1e-9)
    let seconds = Int(exactly: min(max(remaining, 0), 1e9).rounded()) ?? 0
    // The first second and the first 5 % say little about the rest: no guess before both.
    let eta =
      state.files >= state.totalFiles
      ? "done" : elapsed < 1 || done < total * 0.05 ? "ETA …" : "ETA \(Self.duration(seconds))"
    let rate =
      state.totalBytes > 0 ? "  " + String(format: "%.1f", Double(state.bytes) / 1_048_576 / elapsed) + " MB/s" : ""
    return "\(label) \(state.files)/\(state.totalFiles) \(unit)  \(Int(min(perSecond, 1e12))) \(unit)/s\(rate)  \(eta)"
  }

  /// `45s`, `12m 05s`, `3h 20m`.
  static func duration(_ seconds: Int) -> String {
    if seconds < 60 { return "\(seconds)s" }
    if seconds < 3600 { return String(format: "%dm %02ds", seconds / 60, seconds % 60) }
    return String(format: "%dh %02dm", seconds / 3600, seconds % 3600 / 60)
  }
}
