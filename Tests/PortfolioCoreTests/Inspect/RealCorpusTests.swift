import Foundation
import PortfolioCore
import TestSupport
import Testing

/// samples/real: files the real programs made (scripts/make-real-corpus.py), each named by the
/// answer `validate` must give it — `{answer}--{format}--{label}.{ext}`, where the answer is
/// `accept`, `accept+<warning>` or the codes joined by `+`, and a label ending in `-Npages` or
/// `-WxH` fixes the page count or the image size.
@Suite struct RealCorpusTests {
  static let folder = TestDrop.repository.appendingPathComponent("samples/real").path
  static let names: [String] =
    ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { !$0.hasPrefix(".") }.sorted()

  struct Expectation {
    let accepted: Bool
    let codes: Set<String>
    let format: String
    let pages: Int?
    let size: (Int, Int)?

    init(_ name: String) {
      let parts = name.components(separatedBy: "--")
      let answer = parts.first ?? ""
      var codes = answer.components(separatedBy: "+")
      accepted = codes.first == "accept"
      if accepted { codes.removeFirst() }
      self.codes = Set(codes)
      format = parts.count > 1 ? parts[1] : ""
      let label = (parts.last ?? "").components(separatedBy: ".").first ?? ""
      let last = label.components(separatedBy: "-").last ?? ""
      pages = last.hasSuffix("pages") ? Int(last.dropLast(5)) : nil
      let dimensions = last.components(separatedBy: "x").compactMap { Int($0) }
      size = dimensions.count == 2 ? (dimensions[0], dimensions[1]) : nil
    }

    var role: String { ["mp4", "mp3", "3gp"].contains(format) ? "media" : "document" }
  }

  /// One drop with every file of the corpus, each in its own item, validated once.
  static let validation: Result<Validation, any Error> = Result {
    let drop = try TestDrop()
    defer { drop.remove() }
    for (index, name) in names.enumerated() {
      let itemId = "mp-112-\(1000 + index)"
      let file = "f" + String(name.drop { $0 != "." })  // the name's extension only
      try drop.write(
        "uploads/110001/\(itemId)/\(file)", try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name)))
      try drop.write(
        "uploads/110001/\(itemId)/item.json",
        #"{"itemId":"\#(itemId)","kind":"multiple-performance","academicYear":112,"category":"works","title":"\#(index)","startDate":"2023-09-01","uploadedAt":"2023-10-01T10:00:00+08:00","files":[{"name":"\#(file)","role":"\#(Expectation(name).role)"}],"selected":false}"#
      )
    }
    return try validate(drop)
  }

  @Test func theCorpusIsThere() {
    // Every program of the generator is represented (a lost folder must not pass as "no cases").
    #expect(Self.names.count >= 50)
    for format in ["pdf", "jpeg", "png", "mp4", "mp3"] {
      #expect(Self.names.contains { Expectation($0).format == format && Expectation($0).accepted }, "\(format)")
      #expect(Self.names.contains { Expectation($0).format == format && !Expectation($0).accepted }, "\(format)")
    }
  }

  @Test(arguments: names.indices)
  func theFileGetsTheAnswerItsNameSays(index: Int) throws {
    let name = Self.names[index]
    let expected = Expectation(name)
    let validation = try Self.validation.get()
    let itemId = "mp-112-\(1000 + index)"
    let findings = validation.findings.filter { $0.itemId == itemId && $0.file != nil }
    let codes = Set(findings.map(\.code.rawValue)).subtracting(["duplicate-file"])
    #expect(codes == expected.codes, "\(name): \(findings.map(\.messageEN))")
    let record = try #require(validation.files.first { $0.itemId == itemId }, "\(name) was not inspected")
    #expect(record.verdict == (expected.accepted ? .accepted : .rejected), "\(name): \(findings.map(\.messageEN))")
    if let pages = expected.pages { #expect(record.pages == pages, "\(name)") }
    if let (width, height) = expected.size {
      #expect(record.width == width && record.height == height, "\(name): \(record.width ?? 0)x\(record.height ?? 0)")
    }
    if expected.accepted, expected.role == "media" {
      #expect((record.durationSeconds ?? 0) > 0.5, "\(name): duration \(record.durationSeconds ?? 0)")
    }
    // A message never claims a format the file does not hold.
    if !name.contains("zip") {
      #expect(!findings.contains { $0.messageEN.contains("ZIP") }, "\(name)")
    }
    if !name.contains("windows") {
      #expect(!findings.contains { $0.messageEN.contains("executable") }, "\(name)")
    }
  }
}
