import Foundation
import Synchronization

/// A queue from one thread to another with no bound: `put` never waits, `take` waits for a
/// value. Between the thread that validates a run's parts and the one that writes them.
final class PartQueue<Value: Sendable>: Sendable {
  private let values = Mutex<[Value]>([])
  private let ready = DispatchSemaphore(value: 0)

  func put(_ value: sending Value) {
    values.withLock { $0.append(value) }
    ready.signal()
  }

  func take() -> Value {
    ready.wait()
    return values.withLock { $0.removeFirst() }
  }
}

/// Runs `produce` for each of `count` parts on a thread of its own while the calling thread
/// consumes the parts already made, in order: the scan, inspection and rules of the next part
/// go on while the one before is written. `prepare(i)` runs on the calling thread (what only
/// it may touch, such as the ledger's open transaction) before part `i` is made; at most the
/// part being written and the next one are held at once. The first error — from either side —
/// stops both: the making thread finishes the part it is on, and is waited for, before the
/// error is thrown.
enum PartOverlap {
  static func run<Input: Sendable, Output: Sendable>(
    count: Int, prepare: (Int) throws -> Input, produce: @escaping @Sendable (Int, Input) throws -> Output,
    consume: (Int, Output) throws -> Void
  ) throws {
    guard count > 0 else { return }
    let inputs = PartQueue<Input?>()
    let outputs = PartQueue<Result<Output, any Error>>()
    let finished = DispatchSemaphore(value: 0)
    let maker = Thread {
      defer { finished.signal() }
      for index in 0..<count {
        guard let input = inputs.take() else { return }  // the writing side stopped
        do {
          outputs.put(.success(try produce(index, input)))
        } catch {
          outputs.put(.failure(error))
          return
        }
      }
    }
    maker.stackSize = 8 << 20
    maker.start()
    do {
      inputs.put(try prepare(0))
      for index in 0..<count {
        if index + 1 < count { inputs.put(try prepare(index + 1)) }
        try consume(index, try outputs.take().get())
      }
    } catch {
      inputs.put(nil)
      finished.wait()
      throw error
    }
    finished.wait()
  }
}
