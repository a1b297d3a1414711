import Foundation
import Synchronization
import Testing

@testable import PortfolioCore

/// Parts made on a thread of their own and consumed in order on the calling thread; the first
/// error, from either side, stops both, and the making thread is waited for.
@Suite struct PartOverlapTests {
  struct Stop: Error, Equatable { let at: Int }

  final class Log: Sendable {
    let made = Mutex<[Int]>([])
    let running = Atomic<Int>(0)
  }

  @Test func partsAreConsumedInOrderWhileTheNextIsMade() throws {
    let log = Log()
    let caller = Thread.current
    var prepared: [Int] = []
    var consumed: [String] = []
    try PartOverlap.run(
      count: 5,
      prepare: { index in
        #expect(Thread.current == caller)
        prepared.append(index)
        return index * 10
      },
      produce: { index, input in
        log.made.withLock { $0.append(index) }
        return "part \(index) from \(input)"
      },
      consume: { _, output in consumed.append(output) })
    #expect(prepared == [0, 1, 2, 3, 4])
    #expect(consumed == (0..<5).map { "part \($0) from \($0 * 10)" })
    #expect(log.made.withLock { $0 } == [0, 1, 2, 3, 4])
  }

  @Test func aConsumerErrorStopsTheMakerAndWaitsForIt() {
    let log = Log()
    #expect(throws: Stop(at: 1)) {
      try PartOverlap.run(
        count: 50, prepare: { $0 },
        produce: { index, _ in
          log.running.add(1, ordering: .sequentiallyConsistent)
          Thread.sleep(forTimeInterval: 0.01)
          log.made.withLock { $0.append(index) }
          log.running.subtract(1, ordering: .sequentiallyConsistent)
          return index
        },
        consume: { index, _ in if index == 1 { throw Stop(at: 1) } })
    }
    // Returned only once the maker was done, and it made at most the part after the one that failed.
    #expect(log.running.load(ordering: .sequentiallyConsistent) == 0)
    #expect(log.made.withLock { $0.count } <= 3)
  }

  @Test func aMakerErrorReachesTheCallerAfterThePartsBeforeIt() {
    var consumed: [Int] = []
    #expect(throws: Stop(at: 2)) {
      try PartOverlap.run(
        count: 5, prepare: { $0 },
        produce: { index, _ in
          if index == 2 { throw Stop(at: 2) }
          return index
        },
        consume: { _, output in consumed.append(output) })
    }
    #expect(consumed == [0, 1])
  }

  @Test func aPrepareErrorStopsTheMaker() {
    let log = Log()
    #expect(throws: Stop(at: 3)) {
      try PartOverlap.run(
        count: 5,
        prepare: { index in
          if index == 3 { throw Stop(at: 3) }
          return index
        },
        produce: { index, _ in
          log.made.withLock { $0.append(index) }
          return index
        },
        consume: { _, _ in })
    }
    #expect(log.made.withLock { $0 }.allSatisfy { $0 < 3 })
  }
}
