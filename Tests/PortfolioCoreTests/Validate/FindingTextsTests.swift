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

/// What validation and the ledger keep of an inspection gives the whole inspection back.
@Suite struct InspectedFileTests {
  @Test func anInspectionWithFactsComesBackWhole() {
    var facts = ContentFacts()
    (facts.width, facts.height, facts.durationSeconds) = (640, 480, 12.345678)
    facts.problems = [.corrupt("moov box truncated"), .encrypted]
    let inspection = FileInspection(
      mime: "video/mp4", magicDescription: "ISO Media, MP4 v2", bytes: 1234, sha256: String(repeating: "a", count: 64),
      md5: String(repeating: "b", count: 32), facts: facts)
    #expect(InspectedFile(item: 3, file: 1, inspection).inspection == inspection)
    facts.pages = Int.max
    facts.problems = []
    let paged = FileInspection(
      mime: "application/pdf", magicDescription: "PDF document", bytes: 5, sha256: "", md5: nil, facts: facts)
    #expect(InspectedFile(item: 0, file: 0, paged).inspection == paged)
  }

  @Test func anInspectionWithoutFactsStaysWithout() {
    let inspection = FileInspection(
      mime: "application/zip", magicDescription: "", bytes: 99, sha256: String(repeating: "c", count: 64), md5: nil,
      facts: nil)
    let back = InspectedFile(item: 0, file: 0, inspection).inspection
    #expect(back == inspection && back.facts == nil)
  }
}
