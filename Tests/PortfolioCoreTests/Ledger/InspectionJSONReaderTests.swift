import Foundation
import Testing

@testable import PortfolioCore

/// A ledger row's inspection read by bytes is exactly what `JSONDecoder` reads, or nothing (and
/// the decoder reads it): inspections made at random, written as the ledger writes them.
@Suite struct InspectionJSONReaderTests {
  static func randomInspection(_ generator: inout some RandomNumberGenerator) -> FileInspection {
    let mimes = ["image/jpeg", "application/pdf", "video/mp4", "audio/mpeg", "application/zip", "text/x-c++"]
    let descriptions = ["", "Zip archive data, at least v2.0 to extract", "\"quoted\" \\ back\\slash / 中文 \u{1F600}"]
    var inspection = FileInspection(
      mime: mimes.randomElement(using: &generator)!, magicDescription: descriptions.randomElement(using: &generator)!,
      bytes: Int64.random(in: 0...10_485_760, using: &generator), sha256: String(repeating: "ab", count: 32),
      md5: Bool.random(using: &generator) ? String(repeating: "0f", count: 16) : nil, facts: nil)
    guard Int.random(in: 0..<4, using: &generator) > 0 else { return inspection }
    var facts = ContentFacts()
    if Bool.random(using: &generator) { facts.pages = Int.random(in: 1...500, using: &generator) }
    if Bool.random(using: &generator) {
      facts.width = Int.random(in: 1...20_000, using: &generator)
      facts.height = Int.random(in: 1...20_000, using: &generator)
    }
    // Durations as parsers make them: fractions of all sizes, whole numbers, tiny ones (an exponent).
    let durations: [Double] = [
      12.5, 0.1, 1.0 / 3.0, 86_400, 3, 1e-7, Double.random(in: 0...86_400, using: &generator),
      Double(Int.random(in: 0...1_000_000, using: &generator)) / 44_100,
    ]
    if Bool.random(using: &generator) { facts.durationSeconds = durations.randomElement(using: &generator)! }
    if Int.random(in: 0..<4, using: &generator) == 0 {
      facts.problems = [.corrupt("cut short at byte 12"), .encrypted, .polyglot("ZIP after %%EOF")].shuffled(
        using: &generator)
    }
    inspection.facts = facts
    return inspection
  }

  @Test func inspectionsReadBackAsTheDecoderReadsThem() throws {
    var generator = SystemRandomNumberGenerator()
    let encoder = JSONEncoder()  // as LedgerRecorder writes them
    var read = 0
    for _ in 0..<3_000 {
      let inspection = Self.randomInspection(&generator)
      let text = String(decoding: try encoder.encode(inspection), as: UTF8.self)
      let decoded = try JSONDecoder().decode(FileInspection.self, from: Data(text.utf8))
      #expect(decoded == inspection)
      guard let fast = InspectionJSONReader.inspection(text) else { continue }
      read += 1
      #expect(fast == decoded, "\(text)")
    }
    // Only an exponent (1e-07) or an unreadable text is left to the decoder.
    #expect(read >= 2_500)
  }

  @Test func whatTheReaderLeavesToTheDecoder() {
    let base = "\"mime\":\"image\\/png\",\"magicDescription\":\"\",\"sha256\":\"ab\""
    for text in [
      "{\(base)}", "{\(base),\"bytes\":1.5}",
      "{\(base),\"bytes\":1,\"facts\":{\"durationSeconds\":1e-07,\"problems\":[]}}",
      "{\(base),\"bytes\":1,\"facts\":{\"pages\":2}}", "{\(base),\"bytes\":1} x", "[{\(base),\"bytes\":1}]",
    ] {
      #expect(InspectionJSONReader.inspection(text) == nil, "\(text)")
    }
    let plain = InspectionJSONReader.inspection("{\(base),\"bytes\":7,\"facts\":{\"pages\":2,\"problems\":[]}}")
    #expect(plain?.mime == "image/png")
    #expect(plain?.bytes == 7)
    #expect(plain?.facts?.pages == 2)
  }
}
