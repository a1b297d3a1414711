import Testing

@testable import PortfolioCore

/// An ASCII name's extension read on its bytes is the one `split(separator: ".")` gives.
@Suite struct ClaimedExtensionTests {
  static func bySplitting(_ name: String) -> String {
    let parts = name.split(separator: ".")
    guard parts.count > 1, let last = parts.last else { return "" }
    return last.lowercased()
  }

  static func byBytes(_ name: String) -> String? {
    var name = name
    return name.withUTF8 { RuleFile.asciiExtension($0) }
  }

  @Test(arguments: [
    ("report.PDF", "pdf"), ("a.b.Jpg", "jpg"), ("noext", ""), (".hidden", ""), ("..pdf", ""), ("file.", ""),
    ("a.b.", "b"), ("a..pdf", "pdf"), ("...", ""), ("", ""), ("A.MP4..", "mp4"),
  ])
  func names(name: String, expected: String) {
    #expect(Self.byBytes(name) == expected)
    #expect(Self.bySplitting(name) == expected)
  }

  @Test func nonASCIINamesAreLeftToTheSplit() {
    #expect(Self.byBytes("作品.pdf") == nil)
    #expect(Self.byBytes("a.\u{301}pdf") == nil)  // a dot with a combining mark is no dot to split on
  }

  @Test func randomASCIINamesAgree() {
    var generator = SystemRandomNumberGenerator()
    let alphabet = Array("aZ.09_ -.".utf8)
    for _ in 0..<20_000 {
      let count = Int.random(in: 0...8, using: &generator)
      let name = String(decoding: (0..<count).map { _ in alphabet.randomElement(using: &generator)! }, as: UTF8.self)
      #expect(Self.byBytes(name) == Self.bySplitting(name), "\(name)")
    }
  }
}
