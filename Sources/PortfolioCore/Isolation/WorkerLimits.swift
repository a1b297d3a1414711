import Foundation

/// What one inspection worker may spend on one uploaded file: policy data (`policies.json`,
/// printed by `portfolio policy`). A file that needs more is refused with `inspection-failed`
/// and the run goes on with a fresh worker.
public struct WorkerLimits: Codable, Sendable, Equatable {
  /// Address space a worker may add to what it holds when it starts (`RLIMIT_AS`), in bytes.
  public var memoryBytes: Int64
  /// Wall-clock seconds per file, enforced by the supervisor (SIGKILL), and CPU seconds per
  /// file (`RLIMIT_CPU`), enforced by the kernel.
  public var secondsPerFile: Int

  /// Seconds for one untrusted package (`check`, `import`): up to 10,000 entries of up to
  /// 10 MiB each are read back, so six times a file's.
  public var secondsPerPackage: Int { secondsPerFile * 6 }

  public init(memoryBytes: Int64, secondsPerFile: Int) {
    self.memoryBytes = memoryBytes
    self.secondsPerFile = secondsPerFile
  }

  /// The environment variables that override the table's limits for one run (experiments,
  /// tests): `PORTFOLIO_WORKER_MEMORY_MIB` and `PORTFOLIO_WORKER_SECONDS`, positive integers.
  public static let memoryVariable = "PORTFOLIO_WORKER_MEMORY_MIB"
  public static let secondsVariable = "PORTFOLIO_WORKER_SECONDS"

  /// These limits with the environment's overrides applied (values that are not positive
  /// integers in range are ignored).
  public func overridden(by environment: [String: String] = ProcessInfo.processInfo.environment) -> WorkerLimits {
    var limits = self
    if let text = environment[Self.memoryVariable], let mib = Int64(text), (16...65_536).contains(mib) {
      limits.memoryBytes = mib * 1_048_576
    }
    if let text = environment[Self.secondsVariable], let seconds = Int(text), (1...3_600).contains(seconds) {
      limits.secondsPerFile = seconds
    }
    return limits
  }
}
