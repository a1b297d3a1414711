import Testing

@testable import PortfolioCore

/// The ledger's memory of earlier runs, kept compact: each path finds its own file's version,
/// inspection and recorded verdict.
@Suite struct ValidationMemoryTests {
  static func inspection(_ sha: Character, mime: String = "application/pdf") -> FileInspection {
    var facts = ContentFacts()
    facts.pages = 3
    facts.problems = [.corrupt("xref")]
    return FileInspection(
      mime: mime, magicDescription: "PDF document", bytes: 42, sha256: String(repeating: sha, count: 64), md5: nil,
      facts: facts)
  }

  @Test func eachPathFindsWhatWasRecordedOfIt() {
    var memory = ValidationMemory()
    memory.remember(
      path: "uploads/110001/a/心得.pdf", identity: "1:2:42:3.4:5.6", inspection: Self.inspection("a"),
      verdictKey: "rejected|[\"corrupt-file\"]")
    memory.remember(
      path: "uploads/110001/a/caf\u{E9}.pdf", identity: "1:3:42:3.4:5.6",
      inspection: Self.inspection("b", mime: "image/png"), verdictKey: "accepted|[]")
    memory.remember(
      path: "uploads/110002/b/x.pdf", identity: "not:a:stamp", inspection: Self.inspection("c"),
      verdictKey: "accepted|[]")
    #expect(memory.rememberedCount == 3)
    let first = memory.remembered("uploads/110001/a/心得.pdf")
    #expect(first?.inspection == Self.inspection("a"))
    #expect(first?.identity == "1:2:42:3.4:5.6" && first?.verdictKey == "rejected|[\"corrupt-file\"]")
    // A decomposed name is the same path, as it was for the dictionary of paths.
    #expect(
      memory.remembered("uploads/110001/a/cafe\u{301}.pdf")?.inspection == Self.inspection("b", mime: "image/png"))
    #expect(memory.remembered("uploads/110002/b/x.pdf")?.identity == "not:a:stamp")
    #expect(memory.remembered("uploads/110002/b/y.pdf") == nil)
    #expect(memory.remembered("") == nil)
    // Once validation has taken the inspections, the versions and verdicts stay for the record.
    memory.forgetInspections()
    let forgotten = memory.remembered("uploads/110001/a/心得.pdf")
    #expect(forgotten?.inspection == nil)
    #expect(forgotten?.identity == "1:2:42:3.4:5.6" && forgotten?.verdictKey == "rejected|[\"corrupt-file\"]")
    #expect(memory.rememberedCount == 3)
  }
}
