import Foundation
import Testing

@testable import PortfolioCore

/// An item's optional texts, packed in one allocation: every text comes back exactly.
@Suite struct PackedTextsTests {
  @Test func everyFieldComesBackAsItWasStored() {
    let long = String(repeating: "學習歷程", count: 2_000)  // 24,000 bytes: a three-byte length
    let values: [String?] = [
      "1123010101", nil, "攝影作品：夕陽", "", "2023-12-20T23:50:00+08:00", String(repeating: "a", count: 127),
      long, "https://example.org/x?y=1&z=2",
    ]
    let texts = PackedTexts(values)
    #expect((0..<PackedTexts.fieldCount).map { texts[$0] } == values)
    #expect(PackedTexts(Array(repeating: nil, count: 8)) == PackedTexts())
    #expect((0..<PackedTexts.fieldCount).allSatisfy { PackedTexts()[$0] == nil })
  }

  @Test func settingOneFieldLeavesTheOthers() {
    var texts = PackedTexts(["a", "b", "c", nil, nil, "f", nil, "h"])
    texts[3] = "心得"
    texts[0] = nil
    texts[7] = String(repeating: "x", count: 300)
    #expect(
      (0..<PackedTexts.fieldCount).map { texts[$0] }
        == [nil, "b", "c", "心得", nil, "f", nil, String(repeating: "x", count: 300)])
  }

  @Test func aTitleComposedOrDecomposedIsTheSameTitle() {
    let composed = "caf\u{E9}"
    let decomposed = "cafe\u{301}"
    #expect(
      PackedTexts([nil, nil, composed, nil, nil, nil, nil, nil])
        == PackedTexts([nil, nil, decomposed, nil, nil, nil, nil, nil]))
    #expect(
      PackedTexts([nil, nil, composed, nil, nil, nil, nil, nil])
        != PackedTexts([nil, nil, "cafe", nil, nil, nil, nil, nil]))
    // The bytes are kept as given: a decomposed title is read back decomposed.
    #expect(
      Array(PackedTexts([nil, nil, decomposed, nil, nil, nil, nil, nil])[2]?.utf8 ?? "".utf8) == Array(decomposed.utf8))
  }

  @Test func anItemJSONDecodesAndEncodesWithItsTextsInPlace() throws {
    let json = """
      {"itemId":"mp-112-0001","kind":"multiple-performance","academicYear":112,"category":"works",\
      "title":"攝影作品：夕陽","summary":"用手機拍的夕陽。","uploadedAt":"2023-12-20T23:50:00+08:00",\
      "startDate":"2023-09-10","files":[{"name":"IMG_0001.jpg","role":"document"}],"selected":false}
      """
    let item = try JSONDecoder().decode(ItemManifest.self, from: Data(json.utf8))
    #expect(item.title == "攝影作品：夕陽" && item.summary == "用手機拍的夕陽。" && item.category == "works")
    #expect(item.startDate == "2023-09-10" && item.endDate == nil && item.courseCode == nil)
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    let encoded = String(decoding: try encoder.encode(item), as: UTF8.self)
    #expect(
      encoded
        == #"{"academicYear":112,"category":"works","files":[{"name":"IMG_0001.jpg","role":"document"}],"itemId":"mp-112-0001","kind":"multiple-performance","selected":false,"startDate":"2023-09-10","summary":"用手機拍的夕陽。","title":"攝影作品：夕陽","uploadedAt":"2023-12-20T23:50:00+08:00"}"#
    )
  }

  /// With several wrong fields, the first in `CodingKeys` order is the one reported, as before
  /// the texts were packed: itemId, kind, academicYear, term, the texts, details, files,
  /// certification, selected, transfer.
  @Test func theFirstWrongFieldIsReportedInTheOrderOfTheKeys() {
    func firstBad(_ fields: String) -> String? {
      let json = #"{"itemId":"mp-1","kind":"multiple-performance","academicYear":112,"files":[],"# + fields + "}"
      do {
        _ = try JSONDecoder().decode(ItemManifest.self, from: Data(json.utf8))
        return nil
      } catch {
        return JSONProblem(error).field
      }
    }
    #expect(firstBad(#""title":5,"details":"x","selected":"no""#) == "title")
    #expect(firstBad(#""externalLink":[],"details":"x""#) == "externalLink")
    #expect(firstBad(#""details":"x","certification":1,"selected":"no""#) == "details")
    #expect(firstBad(#""certification":1,"selected":"no""#) == "certification")
    #expect(firstBad(#""term":"one","courseCode":7"#) == "term")
    #expect(firstBad(#""courseCode":7,"summary":false"#) == "courseCode")
    #expect(firstBad(#""summary":"fine","endDate":"2024-01-01""#) == nil)
  }
}
