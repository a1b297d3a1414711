import Foundation
import Testing

@testable import PortfolioCore

/// The byte reader of item.json makes exactly what `JSONDecoder` makes, or nothing (and the
/// decoder decides): checked on the samples and on thousands of generated item.json files that
/// mix good values with every kind of value the decoder refuses or reads by its own rules.
@Suite struct ItemJSONReaderTests {
  static func decoded(_ bytes: [UInt8]) -> ItemManifest? {
    try? JSONDecoder().decode(ItemManifest.self, from: Data(bytes))
  }

  @Test func theSamplesAreReadAsTheDecoderReadsThem() throws {
    let uploads = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
      "../../../samples/drop/uploads"
    ).standardized.path
    let paths = try FileManager.default.subpathsOfDirectory(atPath: uploads).filter {
      $0.hasSuffix("/item.json")
    }
    #expect(paths.count >= 5)
    for path in paths {
      let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: uploads + "/" + path)))
      guard StrictJSON.problem(in: bytes) == nil, let expected = Self.decoded(bytes) else { continue }
      #expect(ItemJSONReader.manifest(bytes) == expected, "\(path)")
    }
  }

  /// Each field's candidates: values the decoder takes, and values it refuses or reads its own
  /// way (`nil`: the key is left out).
  static let candidates: [(key: String, values: [String?])] = [
    ("itemId", ["\"co-1\"", "\"a\\u00e9\\/b\"", "1", "null", nil]),
    (
      "kind",
      ["\"course-outcome\"", "\"multiple-performance\"", "\"consultation\"", "\"other\"", "\"Consultation\"", "1"]
    ),
    (
      "academicYear",
      [
        "112", "-1", "0", "-0", "112.0", "1e2", "1E2", "99999999999999999999", "\"112\"", "null",
        "9223372036854775807", "-9223372036854775808", "9223372036854775808", nil,
      ]
    ),
    ("term", ["1", "2", "null", "1.5", "\"1\"", "-0", nil]),
    ("title", ["\"作品\"", "\"\\n\\t\\\"\\\\\\/\\b\\f\\r\"", "\"\\ud83d\\ude00 x\"", "\"\"", "null", "1", "true", nil]),
    ("summary", ["\"e\\u0301\"", "\"\\u0000\"", "null", "[]", nil]),
    ("courseCode", ["\"112313302H1010101\"", "null", "112", nil]),
    ("category", ["\"works\"", "null", "{}", nil]),
    ("startDate", ["\"2023-09-01\"", "null", nil]),
    ("uploadedAt", ["\"2023-10-01T10:00:00+08:00\"", nil]),
    ("externalLink", ["\"https://example.org/a?b=1&c=\\u4e2d\"", "false", nil]),
    (
      "files",
      [
        "[]", "[{\"name\":\"a.pdf\",\"role\":\"document\"}]",
        "[{\"role\":\"media\",\"name\":\"影片.mp4\"},{\"name\":\"b\",\"role\":\"document\"}]",
        "[{\"name\":\"a.pdf\",\"role\":\"video\"}]", "[{\"name\":\"a.pdf\"}]",
        "[{\"name\":\"a.pdf\",\"role\":\"media\",\"extra\":[1,{\"b\":null},\"]}\"]}]", "{}", "null", "[null]", "[1]",
        "[{\"name\":null,\"role\":\"media\"}]", nil,
      ]
    ),
    ("selected", ["true", "false", "null", "1", "\"true\"", nil]),
    (
      "details",
      [
        "{\"level\":\"校級\",\"hours\":12}", "{\"hours\":12.5}", "{\"hours\":-0}", "{\"hours\":1e1}", "{\"hours\":true}",
        "{\"award\":null,\"organizer\":\"\\u5b78\"}", "{}", "null", "[]", "{\"x\":1}", "{\"hours\":-12}",
        "{\"participation\":99999999999999999999}", nil,
      ]
    ),
    (
      "certification",
      [
        "{\"status\":\"passed\",\"teacherId\":\"T1\",\"at\":\"2023\",\"sha256\":[\"ab\",\"cd\"]}",
        "{\"status\":\"bad\"}",
        "{\"teacherId\":\"T\"}", "{\"status\":\"pending\",\"sha256\":null,\"reason\":null}",
        "{\"status\":\"returned\",\"sha256\":[1]}", "{\"status\":\"returned\",\"reasonCode\":\"R1\",\"reason\":\"重拍\"}",
        "null", "1", nil,
      ]
    ),
    (
      "transfer",
      [
        "{\"fromSchool\":\"313302\",\"packageName\":\"p.zip\",\"packageSha256\":\"ab\",\"importedAt\":\"2024\"}",
        "{\"fromSchool\":313302}", "null", nil, nil, nil,
      ]
    ),
    ("extra", ["{\"a\":[1,2,{\"b\":\"}\"}],\"c\":-1.5e3}", "true", nil]),
  ]

  /// One item.json from a choice of candidate per key, in a shuffled order, with `space` between tokens.
  static func document(_ generator: inout some RandomNumberGenerator) -> [UInt8] {
    let spaces = ["", " ", "\n  ", "\t"]
    let space = spaces.randomElement(using: &generator)!
    var members: [String] = []
    for (key, values) in candidates {
      // Mostly a value the decoder takes (the first), so that whole good items come up often.
      let value = Int.random(in: 0..<4, using: &generator) > 0 ? values[0] : values.randomElement(using: &generator)!
      guard let value else { continue }
      members.append("\"\(key)\"\(space):\(space)\(value)")
    }
    members.shuffle(using: &generator)
    return Array(("{" + space + members.joined(separator: "," + space) + space + "}").utf8)
  }

  @Test func generatedItemsAreReadAsTheDecoderReadsThemOrLeftToIt() {
    var generator = SystemRandomNumberGenerator()
    var read = 0
    var leftToTheDecoder = 0
    var refusedByTheDecoder = 0
    for _ in 0..<6_000 {
      let bytes = Self.document(&generator)
      guard StrictJSON.problem(in: bytes) == nil else { continue }
      let expected = Self.decoded(bytes)
      if expected == nil { refusedByTheDecoder += 1 }
      guard let manifest = ItemJSONReader.manifest(bytes) else {
        leftToTheDecoder += 1
        continue
      }
      read += 1
      #expect(manifest == expected, "\(String(decoding: bytes, as: UTF8.self))")
    }
    // Each way is taken often: good items read here, bad ones refused by the decoder.
    #expect(read >= 300, "\(read) read, \(leftToTheDecoder) left, \(refusedByTheDecoder) refused")
    #expect(refusedByTheDecoder >= 300)
    #expect(leftToTheDecoder >= refusedByTheDecoder)
  }

  @Test func whatTheReaderLeavesToTheDecoder() {
    let good = "\"itemId\":\"a\",\"kind\":\"consultation\",\"files\":[]"
    // The decoder's own number rules, a byte-order mark, a trailing value: not taken here.
    for text in [
      "{\(good),\"academicYear\":112.0}", "{\(good),\"academicYear\":1.12e2}", "{\(good),\"academicYear\":-0}",
      "\u{FEFF}{\(good),\"academicYear\":112}", "{\(good)}", "[{\(good),\"academicYear\":112}]",
    ] {
      #expect(ItemJSONReader.manifest(Array(text.utf8)) == nil, "\(text)")
    }
    let plain = ItemJSONReader.manifest(Array("{\(good),\"academicYear\":112}".utf8))
    #expect(plain?.academicYear == 112)
    #expect(plain?.itemId == "a")
    #expect(plain?.kind == .consultation)
  }

  @Test func anItemWithEveryFieldIsReadWholeHere() throws {
    var item = ItemManifest(
      itemId: "co-1", kind: .courseOutcome, academicYear: 112, term: 2, courseCode: "C1", category: "works",
      title: "標題", summary: "摘要\n第二行", uploadedAt: "2023-10-01T10:00:00+08:00", startDate: "2023-09-01",
      endDate: "2023-09-30", externalLink: "https://example.org/a?b=1",
      details: ItemManifest.Details(named: { "\($0)-值" }),
      files: [
        ItemManifest.FileEntry(name: "a.pdf", role: .document), ItemManifest.FileEntry(name: "b.mp4", role: .media),
      ],
      certification: ItemManifest.Certification(
        status: .returned, teacherId: "T1", at: "2023-11-10", reasonCode: "R1", reason: "重拍", sha256: ["ab", "cd"]),
      selected: true)
    item.transfer = ItemManifest.Transfer(
      fromSchool: "313302", fromStudentNumber: "110001", packageName: "p.zip", packageSha256: "ab",
      importedAt: "2024-01-01T00:00:00+08:00", course: nil)
    let bytes = Array(try JSONEncoder().encode(item))
    #expect(StrictJSON.problem(in: bytes) == nil)
    #expect(ItemJSONReader.manifest(bytes) == item)
    #expect(Self.decoded(bytes) == item)
  }

  /// A key the model's coding knows but the byte reader does not read makes the reader give up
  /// (the decoder reads it), where a key no one knows is passed over.
  @Test func aKeyTheModelKnowsAndTheReaderDoesNotIsLeftToTheDecoder() {
    enum Keys: String, CodingKey { case known }
    for (text, taken) in [("{\"known\":1}", false), ("{\"other\":[1,{\"x\":2}]}", true)] {
      let bytes = Array(text.utf8)
      let read = bytes.withUnsafeBufferPointer { buffer in
        JSONBytes.whole(buffer) { reader in
          reader.object { reader, key in reader.skipUnknown(key, known: Keys.self) } ? true : nil
        }
      }
      #expect((read != nil) == taken, "\(text)")
    }
  }

  /// Random edits of the samples' item.json (bytes JSON is made of): whatever strict JSON comes
  /// out is read here exactly as the decoder reads it, or left to the decoder.
  @Test func editedSampleItemsAreReadAsTheDecoderReadsThem() throws {
    let seeds = try SampleItems.all()
    let alphabet = Array("0123456789\"\\u.eE-+{}[],: ntfl/a".utf8) + Array("中".utf8)
    var generator = SystemRandomNumberGenerator()
    var strict = 0
    for _ in 0..<10_000 {
      let bytes = SampleItems.edited(seeds, alphabet: alphabet, using: &generator)
      guard StrictJSON.problem(in: bytes) == nil else { continue }
      strict += 1
      guard let read = ItemJSONReader.manifest(bytes) else { continue }
      #expect(read == Self.decoded(bytes), "\(String(decoding: bytes, as: UTF8.self))")
    }
    #expect(strict >= 500)
  }
}
