import Testing

@testable import PortfolioCore

/// How files are shared out to the isolated workers: small files in runs of up to 16 (sent
/// ahead), large ones two by two (no long tail on one worker).
@Suite struct WorkerRunsTests {
  @Test func smallFilesGoInRunsOfTheWindow() {
    let runs = Validator.runs(sizes: Array(repeating: 3_000, count: 40), window: 16, bytes: 1 << 20)
    #expect(runs == [0..<16, 16..<32, 32..<40])
  }

  @Test func largeFilesGoTwoByTwo() {
    let runs = Validator.runs(sizes: [5 << 20, 4 << 20, 9 << 20, 100, 100, 8 << 20, 1], window: 16, bytes: 1 << 20)
    #expect(runs == [0..<2, 2..<4, 4..<6, 6..<7])
  }

  @Test func sizesThatWouldOverflowSaturate() {
    let runs = Validator.runs(sizes: [Int64.max, Int64.max, Int64.max], window: 16, bytes: 1 << 20)
    #expect(runs == [0..<2, 2..<3])
  }

  @Test func noFilesNoRuns() {
    #expect(Validator.runs(sizes: [], window: 16, bytes: 1 << 20).isEmpty)
  }
}
