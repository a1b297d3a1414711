import Synchronization

/// Workers started ahead, while the drop is still being scanned, so that their start-up
/// (loading libmagic's database, the runtime) overlaps the scan instead of delaying the first
/// file. A slot takes a spare with its own setup before it starts a worker of its own; a spare
/// nobody takes ends when this process ends (its input closes).
enum WorkerSpares {
  private struct Spare: @unchecked Sendable {
    // Owned by the store until taken; never used by two threads.
    let child: ChildProcess
    let executable: String
    let setup: WorkerProtocol.Setup
  }

  private static let store = Mutex<[Spare]>([])

  /// Starts `count` workers for `isolation` with the setup `table` gives them (nothing for
  /// in-process inspection). A worker that cannot be started is left to the slot that needs it,
  /// which reports why.
  static func start(count: Int, isolation: InspectionIsolation, table: PolicyTable) {
    guard case .workers(let executable, let limits) = isolation else { return }
    let setup = WorkerProtocol.Setup(
      maxParsedBytes: Int(table.largestLimit), parseLimits: table.images, limits: limits)
    for _ in 0..<max(0, count) {
      guard let child = try? IsolatedInspector.start(executable, setup) else { return }
      keep(child, executable: executable, setup: setup)
    }
  }

  /// Keeps `child`, started for `executable` with `setup`, until a slot takes it.
  static func keep(_ child: ChildProcess, executable: String, setup: WorkerProtocol.Setup) {
    store.withLock { $0.append(Spare(child: child, executable: executable, setup: setup)) }
  }

  /// A spare started for `executable` with `setup`, if there is one.
  static func take(executable: String, setup: WorkerProtocol.Setup) -> ChildProcess? {
    store.withLock { spares in
      guard let index = spares.firstIndex(where: { $0.executable == executable && $0.setup == setup }) else {
        return nil
      }
      return spares.remove(at: index).child
    }
  }
}

extension InspectionIsolation {
  /// Starts `jobs` inspection workers ahead (see `WorkerSpares`): call it before scanning a
  /// drop whose files are then validated with this isolation and `table`.
  public func startWorkersAhead(jobs: Int, table: PolicyTable) {
    WorkerSpares.start(count: jobs, isolation: self, table: table)
  }
}
