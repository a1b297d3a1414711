import Testing

@testable import PortfolioCore

/// What validation keeps of each file's SHA-256: its 32 bytes, the same text back.
@Suite struct PackedHexTests {
  @Test func aSHA256ComesBackAsTheSameLowercaseHex() {
    for text in [
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      "0000000000000000000000000000000000000000000000000000000000000000",
      "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
      "0123456789abcdef00112233445566778899aabbccddeeff0f1e2d3c4b5a6978",
    ] {
      #expect(PackedHex(text).text == text)
      #expect(PackedHex(text) == PackedHex(text))
    }
    #expect(
      PackedHex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        != PackedHex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b856"))
  }

  @Test func anyOtherTextIsKeptAsItIs() {
    for text in [
      "", "abc",
      "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855",  // uppercase: not our hex
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85",  // 63 digits
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b8550",  // 65 digits
      "g3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      "雜湊值",
    ] {
      #expect(PackedHex(text).text == text)
    }
  }

  @Test func anInspectionKeepsItsHashThroughValidation() {
    let sha = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
    let inspection = FileInspection(
      mime: "text/plain", magicDescription: "ASCII text", bytes: 4, sha256: sha, facts: nil)
    #expect(InspectedFile(item: 3, file: 1, inspection).inspection == inspection)
    #expect(InspectedFile.missing.isMissing && !InspectedFile(item: 0, file: 0, inspection).isMissing)
  }
}
