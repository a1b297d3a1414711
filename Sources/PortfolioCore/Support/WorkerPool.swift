import Foundation
import Synchronization

/// The one bounded pool of workers of the pipeline (scan, validate, package): at most
/// `workers` threads, each with its own state made by `makeWorker` on that thread (a libmagic
/// handle, a schema — things that are not thread-safe), take the next index until all `count`
/// are done. Outputs come back in index order, whatever order they finished in.
enum WorkerPool {
  static func map<Worker, Output: Sendable>(
    count: Int, workers: Int, makeWorker: @Sendable () throws -> Worker,
    work: @Sendable (borrowing Worker, Int) -> Output
  ) throws -> [Output] {
    guard count > 0 else { return [] }  // nothing to do: no worker state is made at all
    let next = Atomic<Int>(0)
    let outputs = Mutex<[Output?]>(Array(repeating: nil, count: count))
    let failure = Mutex<(any Error)?>(nil)
    DispatchQueue.concurrentPerform(iterations: min(max(workers, 1), count)) { _ in
      let worker: Worker
      do {
        worker = try makeWorker()
      } catch {
        failure.withLock { $0 = error }
        return
      }
      while true {
        let index = next.add(1, ordering: .relaxed).oldValue
        guard index < count else { return }
        let output = work(worker, index)
        outputs.withLock { $0[index] = output }
      }
    }
    if let error = failure.withLock({ $0 }) { throw error }
    return outputs.withLock { all in all.compactMap { $0 } }
  }
}
