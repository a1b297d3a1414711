import Foundation
import PortfolioCore
import TestSupport
import Testing

func validate(_ drop: TestDrop) throws -> Validation {
  try Validator(table: try PolicyTable.bundled()).validate(drop.root)
}

func fixtureBytes(_ name: String) throws -> Data {
  try Data(contentsOf: URL(fileURLWithPath: TestDrop.sniffFixture(name)))
}

/// An item of `kind` in `year` holding one file; course outcomes are certified and selected.
func item(
  _ drop: TestDrop, id: String = "it-1", kind: String = "multiple-performance", year: Int = 112, term: Int = 1,
  file: String, role: String = "document", data: Data, extra: String = ""
) throws {
  try drop.write("uploads/110001/\(id)/\(file)", data)
  var fields =
    #""itemId":"\#(id)","kind":"\#(kind)","academicYear":\#(year),"title":"作品","summary":"摘要","uploadedAt":"2023-10-01T10:00:00+08:00","files":[{"name":"\#(file)","role":"\#(role)"}]"#
  switch kind {
  case "course-outcome":
    fields +=
      #","term":\#(term),"courseCode":"112313302H1010101","certification":{"status":"passed","teacherId":"T0042"}"#
  case "consultation":
    fields += #","term":\#(term)"#
  default:
    fields += #","category":"works","startDate":"2023-09-01""#
  }
  try drop.write("uploads/110001/\(id)/item.json", "{" + fields + extra + "}")
}

func findingCodes(_ validation: Validation) -> [String] { validation.findings.map(\.code.rawValue).sorted() }

/// A real PDF padded with trailing spaces (allowed padding) to exactly `size` bytes.
func pdf(ofSize size: Int) throws -> Data {
  var data = try fixtureBytes("application_pdf--report.pdf")
  data.append(Data(repeating: 0x20, count: size - data.count))
  return data
}

/// A real MP4 grown with a trailing `free` box to exactly `size` bytes.
func mp4(ofSize size: Int) throws -> Data {
  var data = try fixtureBytes("video_mp4--clip.mp4")
  let box = size - data.count
  data.append(contentsOf: [UInt8(box >> 24 & 0xFF), UInt8(box >> 16 & 0xFF), UInt8(box >> 8 & 0xFF), UInt8(box & 0xFF)])
  data.append(contentsOf: Array("free".utf8))
  data.append(Data(repeating: 0, count: box - 8))
  return data
}

@Suite struct SizeLimitTests {
  static let cases: [(kind: String, year: Int, term: Int, role: String, limit: Int)] = [
    ("multiple-performance", 108, 1, "document", 2 * 1_048_576),
    ("course-outcome", 109, 1, "document", 4 * 1_048_576),
    ("course-outcome", 112, 2, "document", 4 * 1_048_576),
    ("multiple-performance", 108, 1, "media", 5 * 1_048_576),
    ("multiple-performance", 113, 1, "media", 10 * 1_048_576),
    ("consultation", 112, 1, "document", 2 * 1_048_576),
  ]

  @Test(arguments: cases)
  func exactlyAtTheLimitPassesAndOneByteOverFails(
    _ limitCase: (kind: String, year: Int, term: Int, role: String, limit: Int)
  ) throws {
    for (size, expectTooLarge) in [(limitCase.limit, false), (limitCase.limit + 1, true)] {
      let drop = try TestDrop(
        students: "studentNumber,idNumber,name,birthDate,enrollmentYear\n110001,A123456789,王小明,2004-05-14,108\n")
      defer { drop.remove() }
      try drop.write(
        "courses.csv",
        "studentNumber,academicYear,term,courseCode,courseName,credits,score,passed,teacherIds\n"
          + "110001,\(limitCase.year),\(limitCase.term),112313302H1010101,探究,2,88,true,T0042\n")
      let media = limitCase.role == "media"
      try item(
        drop, kind: limitCase.kind, year: limitCase.year, term: limitCase.term, file: media ? "v.mp4" : "r.pdf",
        role: limitCase.role, data: media ? try mp4(ofSize: size) : try pdf(ofSize: size))
      let validation = try validate(drop)
      let tooLarge = validation.findings.filter { $0.code == .tooLarge }
      #expect(tooLarge.isEmpty == !expectTooLarge, "\(limitCase) size \(size): \(validation.findings.map(\.messageEN))")
      // Nothing else is wrong with these files.
      #expect(
        validation.findings.filter { $0.code != .tooLarge && $0.code != .outsideEnrollment }.isEmpty,
        "\(validation.findings.map(\.messageEN))")
      if let finding = tooLarge.first {
        #expect(finding.details["limit"] == String(limitCase.limit))
        #expect(finding.details["over"] == "1")
        #expect(finding.details["policy"] == (limitCase.year >= 109 ? "tw-2020-109-1" : "tw-2019-108"))
        #expect(finding.messageZH.contains("\(limitCase.year) 學年度上限"))
      }
    }
  }
}

@Suite struct FileFindingTests {
  /// Each sniff fixture as a document (or media) of a multiple performance, and the codes it must raise.
  @Test(arguments: [
    ("image_jpeg--exif-phone-photo.jpg", "IMG_2041.JPG", "document", [String]()),
    ("image_jpeg--jfif-photo.jpg", "photo.jpg", "document", []),
    ("image_png--diagram.png", "d.png", "document", []),
    ("application_pdf--report.pdf", "r.pdf", "document", []),
    ("audio_mpeg--frames-only.mp3", "a.mp3", "media", []),
    ("audio_mpeg--id3-tagged.mp3", "a.mp3", "media", []),
    ("audio_mpeg--id3-cover-art.mp3", "a.mp3", "media", []),
    ("video_mp4--clip.mp4", "v.mp4", "media", []),
    ("image_heic--iphone-photo.heic", "IMG_0001.jpg", "document", ["format-not-allowed"]),
    ("video_quicktime--iphone-video.mov", "v.mp4", "media", ["format-not-allowed"]),
    ("audio_x-m4a--voice-memo.m4a", "a.mp3", "media", ["format-not-allowed"]),
    ("application_vnd.microsoft.portable-executable--setup.exe", "r.pdf", "document", ["format-not-allowed"]),
    (
      "application_vnd.openxmlformats-officedocument.wordprocessingml.document--essay.docx", "r.pdf", "document",
      ["format-not-allowed"]
    ),
    ("application_zip--folder.zip", "r.pdf", "document", ["format-not-allowed"]),
    ("text_html--page.html", "r.pdf", "document", ["format-not-allowed"]),
    ("image_gif--animation.gif", "r.png", "document", ["format-not-allowed"]),
    ("image_webp--sticker.webp", "r.png", "document", ["format-not-allowed"]),
    ("application_x-empty--empty.pdf", "r.pdf", "document", ["empty-file"]),
    ("image_png--diagram.png", "d.jpg", "document", ["extension-mismatch"]),
    ("application_pdf--report.pdf", "r.pdf", "media", ["format-not-allowed"]),
  ])
  func fixtureVerdicts(fixture: String, name: String, role: String, expected: [String]) throws {
    let drop = try TestDrop()
    defer { drop.remove() }
    try item(drop, file: name, role: role, data: try fixtureBytes(fixture))
    let validation = try validate(drop)
    #expect(findingCodes(validation) == expected, "\(validation.findings.map(\.messageEN))")
    let record = try #require(validation.files.first)
    #expect(record.verdict == (expected.contains { $0 != "extension-mismatch" } ? .rejected : .accepted))
    #expect(record.sha256.count == 64)
  }

  @Test func metadataIsReadFromTheFilesOwnStructures() throws {
    let drop = try TestDrop()
    defer { drop.remove() }
    try item(drop, id: "a", file: "p.jpg", data: try fixtureBytes("image_jpeg--exif-phone-photo.jpg"))
    try item(drop, id: "b", file: "d.png", data: try fixtureBytes("image_png--diagram.png"))
    try item(drop, id: "c", file: "r.pdf", data: try fixtureBytes("application_pdf--report.pdf"))
    try item(drop, id: "d", file: "v.mp4", role: "media", data: try fixtureBytes("video_mp4--clip.mp4"))
    try item(drop, id: "e", file: "a.mp3", role: "media", data: try fixtureBytes("audio_mpeg--frames-only.mp3"))
    let files = Dictionary(uniqueKeysWithValues: try validate(drop).files.map { ($0.itemId, $0) })
    #expect(files["a"]?.width == 320 && files["a"]?.height == 240)
    #expect(files["b"]?.width == 240 && files["b"]?.height == 180)
    #expect(files["c"]?.pages == 1)
    #expect(abs((files["d"]?.durationSeconds ?? 0) - 2.0) < 0.2)
    #expect(abs((files["e"]?.durationSeconds ?? 0) - 2.0) < 0.2)
  }

  static let sampleFolder = TestDrop.samples + "/uploads/110003"

  @Test(arguments: [
    ("co-108-1-0002/報告.pdf", "course-outcome", "link-in-course-outcome"),
    ("co-108-1-0003/報告.pdf", "course-outcome", "encrypted-document"),
    ("co-108-1-0004/報告.pdf", "course-outcome", "polyglot"),
    ("co-108-1-0005/報告.pdf", "course-outcome", "corrupt-file"),
    ("co-108-1-0006/統計圖.png", "course-outcome", "corrupt-file"),
    ("co-108-1-0007/報告.pdf", "course-outcome", "embedded-content"),
    ("co-108-1-0002/報告.pdf", "multiple-performance", ""),
  ])
  func structuralProblemsOfRealFiles(sample: String, kind: String, expected: String) throws {
    let drop = try TestDrop()
    defer { drop.remove() }
    let data = try Data(contentsOf: URL(fileURLWithPath: FileFindingTests.sampleFolder + "/" + sample))
    try item(drop, kind: kind, file: String(sample.split(separator: "/")[1]), data: data)
    let codes = findingCodes(try validate(drop))
    #expect(codes == (expected.isEmpty ? [] : [expected]))
  }

  @Test func embeddedFilesAreOnlyAWarningOutsideCourseOutcomes() throws {
    let drop = try TestDrop()
    defer { drop.remove() }
    let data = try Data(contentsOf: URL(fileURLWithPath: FileFindingTests.sampleFolder + "/co-108-1-0007/報告.pdf"))
    try item(drop, file: "r.pdf", data: data)
    let validation = try validate(drop)
    #expect(validation.findings.map(\.code) == [.embeddedContent])
    #expect(validation.findings.first?.severity == .warning)
  }

  @Test func cutJPEGAndMP4WithoutMoovAndGarbageMP3AreCorrupt() throws {
    let drop = try TestDrop()
    defer { drop.remove() }
    let jpeg = try fixtureBytes("image_jpeg--jfif-photo.jpg")
    try item(drop, id: "a", file: "p.jpg", data: jpeg.prefix(jpeg.count * 2 / 3))
    var video = try fixtureBytes("video_mp4--clip.mp4")
    let moov = try #require(video.range(of: Data("moov".utf8)))
    video.replaceSubrange(moov, with: Data("skip".utf8))  // the moov box renamed: no movie header
    try item(drop, id: "b", file: "v.mp4", role: "media", data: video)
    var mp3 = Data([0xFF, 0xFB, 0x00, 0x00])  // sync but bitrate index 0: no valid frame
    mp3.append(Data(repeating: 0x55, count: 4000))
    try item(drop, id: "c", file: "a.mp3", role: "media", data: mp3)
    let validation = try validate(drop)
    let corrupt = validation.findings.filter { $0.code == .corruptFile }.compactMap(\.itemId).sorted()
    #expect(corrupt.contains("a") && corrupt.contains("b"), "\(validation.findings.map(\.messageEN))")
    // libmagic may not call the garbage MP3 audio/mpeg at all; either way it is rejected.
    #expect(validation.files.first { $0.itemId == "c" }?.verdict == .rejected)
  }

  @Test func dataAfterPNGEndAndZipAfterJPEGEndArePolyglots() throws {
    let drop = try TestDrop()
    defer { drop.remove() }
    let zip = try fixtureBytes("application_zip--folder.zip")
    try item(drop, id: "a", file: "d.png", data: try fixtureBytes("image_png--diagram.png") + zip)
    try item(drop, id: "b", file: "p.jpg", data: try fixtureBytes("image_jpeg--jfif-photo.jpg") + zip)
    let codes = try validate(drop).findings.map { "\($0.itemId ?? "") \($0.code.rawValue)" }.sorted()
    #expect(codes == ["a polyglot", "b polyglot"])
  }

  @Test func linksInsideCompressedObjectStreamsAreFound() throws {
    // qpdf moves the link annotation into a compressed object stream with an xref stream.
    let pdf = try qpdfRewrite(
      PDFSource.onePage(annotation: "/Subtype /Link /Rect [0 0 10 10] /A << /S /URI /URI (https://example.com) >>"),
      ["--object-streams=generate"])
    let drop = try TestDrop()
    defer { drop.remove() }
    try drop.write(
      "courses.csv",
      "studentNumber,academicYear,term,courseCode,courseName,credits,score,passed,teacherIds\n110001,112,1,112313302H1010101,探究,2,88,true,T0042\n"
    )
    try item(drop, kind: "course-outcome", file: "r.pdf", data: pdf)
    let validation = try validate(drop)
    #expect(validation.findings.map(\.code) == [.linkInCourseOutcome], "\(validation.findings.map(\.messageEN))")
    #expect(validation.findings.first?.details["actions"] == "/URI")
  }
}

/// zlib-compresses bytes with Python's zlib (the test needs a real compressed stream).
func zlibCompress(_ bytes: [UInt8]) -> [UInt8]? {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  process.arguments = [
    "python3", "-c", "import sys,zlib; sys.stdout.buffer.write(zlib.compress(sys.stdin.buffer.read()))",
  ]
  let input = Pipe()
  let output = Pipe()
  process.standardInput = input
  process.standardOutput = output
  guard (try? process.run()) != nil else { return nil }
  input.fileHandleForWriting.write(Data(bytes))
  try? input.fileHandleForWriting.close()
  let data = output.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return process.terminationStatus == 0 ? Array(data) : nil
}
