import Foundation
import Testing

@testable import PortfolioCore

/// A finding's words packed into one allocation read back exactly as they were given.
@Suite struct FindingTextsTests {
  static let fields = FindingTexts.Fields(
    messageZH: "「新詩.pdf」不是允許的格式 𠮷", messageEN: "uploads/1/a/新詩.pdf: not allowed",
    evidence: Evidence(observed: "libmagic: image/heic", expected: nil, source: ""),
    details: ["mime": "image/heic", "role": "document", "empty": "", "名稱": "值\u{0}"])

  @Test func everyFieldComesBackAsItWent() {
    let texts = FindingTexts(Self.fields)
    #expect(texts.messageZH == "「新詩.pdf」不是允許的格式 𠮷")
    #expect(texts.messageEN == "uploads/1/a/新詩.pdf: not allowed")
    #expect(texts.fields == Self.fields)
    #expect(texts.fields.evidence.expected == nil && texts.fields.evidence.source == "")
  }

  @Test func nothingBeyondTheMessagesIsAlsoKept() {
    let bare = FindingTexts.Fields(messageZH: "", messageEN: "x", evidence: .none, details: [:])
    #expect(FindingTexts(bare).fields == bare)
    #expect(FindingTexts(bare).messageZH.isEmpty)
  }

  @Test func theSameDetailsInAnotherOrderAreTheSameBytes() {
    var reordered: [String: String] = [:]
    for key in Self.fields.details.keys.sorted(by: >) { reordered[key] = Self.fields.details[key] }
    var other = Self.fields
    other.details = reordered
    #expect(FindingTexts(other) == FindingTexts(Self.fields))
    other.details["role"] = "media"
    #expect(FindingTexts(other) != FindingTexts(Self.fields))
  }

  @Test func settingOneFieldKeepsTheOthers() {
    var texts = FindingTexts(Self.fields)
    texts.fields.details["entry"] = "manifest.xml"
    texts.fields.messageEN = "changed"
    #expect(texts.messageZH == Self.fields.messageZH)
    #expect(texts.messageEN == "changed")
    #expect(texts.fields.evidence == Self.fields.evidence)
    #expect(texts.fields.details.count == 5 && texts.fields.details["entry"] == "manifest.xml")
  }
}
