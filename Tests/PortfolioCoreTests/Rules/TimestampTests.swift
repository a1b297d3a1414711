import Foundation
import Testing

@testable import PortfolioCore

/// The hand-written timestamp parser agrees with Foundation's ISO 8601 formatter on what both
/// accept, and refuses what no calendar holds.
@Suite struct TimestampTests {
  @Test func agreesWithISO8601DateFormatterOnRandomMoments() throws {
    let plain = ISO8601DateFormatter()
    plain.formatOptions = [.withInternetDateTime]
    var random = SystemRandomNumberGenerator()
    for _ in 0..<2_000 {
      let seconds = Double(Int.random(in: -2_000_000_000...4_000_000_000, using: &random))
      let offset = Int.random(in: -12...14, using: &random) * 3_600 + [0, 1_800, 2_700].randomElement()!
      plain.timeZone = TimeZone(secondsFromGMT: offset)
      let text = plain.string(from: Date(timeIntervalSince1970: seconds))
      #expect(Timestamps.parse(text, timeZone: .gmt) == Date(timeIntervalSince1970: seconds), "\(text)")
    }
  }

  @Test(arguments: [
    ("2023-11-02T21:14:05+08:00", 1_698_930_845.0), ("2023-11-02T13:14:05Z", 1_698_930_845.0),
    ("2023-11-02T13:14:05.250Z", 1_698_930_845.25), ("2024-02-29T00:00:00-01:30", 1_709_170_200.0),
  ])
  func parsesTheFormsItemsUse(text: String, expected: Double) {
    #expect(Timestamps.parse(text, timeZone: .gmt) == Date(timeIntervalSince1970: expected))
  }

  @Test(arguments: [
    "2023-02-29T10:00:00+08:00", "2023-13-01T10:00:00+08:00", "2023-11-02T24:00:00+08:00",
    "2023-11-02T10:60:00+08:00", "2023-11-02T10:00:60+08:00", "2023-11-02T10:00:00+0800", "2023-11-02T10:00:00.Z",
    "2023-11-02 10:00:00+08:00", "2023-11-02T10:00:00+08:00 ", "2023-11-02T10:00:00+24:00", "２０23-11-02T10:00:00Z",
  ])
  func refusesWhatIsNotAMoment(text: String) {
    #expect(Timestamps.parse(text, timeZone: .gmt) == nil)
  }

  @Test func aBareDateIsMidnightInTheSchoolsZone() throws {
    let taipei = try #require(TimeZone(identifier: "Asia/Taipei"))
    #expect(Timestamps.parse("2023-11-02", timeZone: taipei) == Date(timeIntervalSince1970: 1_698_854_400))
    #expect(Timestamps.parse("1121102", timeZone: taipei) == Date(timeIntervalSince1970: 1_698_854_400))
  }
}
