import Foundation
import PortfolioCore
import TestSupport
import Testing

/// What phones, taggers and interrupted uploads really leave in files, built from the real
/// files of samples/sniff. Each case is named by the answer it must get: `accept`,
/// `accept+trailing-data` (accepted with the warning) or the refusing code.
@Suite struct TrailerAndPaddingTests {
  static func bytes(_ fixture: String) -> Data {
    (try? Data(contentsOf: URL(fileURLWithPath: TestDrop.sniffFixture(fixture)))) ?? Data()
  }

  /// An ID3v2.3 tag of `size` bytes after its header (a TIT2 frame, then the tag's own zeros).
  static func id3(size: Int) -> Data {
    var tag = Data("ID3".utf8) + Data([3, 0, 0])
    tag += Data([UInt8(size >> 21 & 0x7F), UInt8(size >> 14 & 0x7F), UInt8(size >> 7 & 0x7F), UInt8(size & 0x7F)])
    var body = Data("TIT2".utf8) + Data([0, 0, 0, 6, 0, 0, 0]) + Data("title".utf8)
    body += Data(repeating: 0, count: size - body.count)
    return tag + body
  }

  /// An APP1 XMP segment declaring a motion photo's video, inserted after the JPEG's SOI.
  static func withMotionPhotoXMP(_ jpeg: Data, videoBytes: Int) -> Data {
    let xmp =
      Data("http://ns.adobe.com/xap/1.0/\0".utf8)
      + Data(
        "<x:xmpmeta><rdf:Description GCamera:MotionPhoto=\"1\" GCamera:MicroVideoOffset=\"\(videoBytes)\"/></x:xmpmeta>"
          .utf8)
    let length = xmp.count + 2
    return jpeg.prefix(2) + Data([0xFF, 0xE1, UInt8(length >> 8), UInt8(length & 0xFF)]) + xmp + jpeg.dropFirst(2)
  }

  static let photo = bytes("image_jpeg--exif-phone-photo.jpg")
  static let frames = bytes("audio_mpeg--frames-only.mp3")

  static let cases: [(String, String, String, @Sendable () -> Data)] = [
    // Two bytes "MZ" in the data after a photo's end are not a Windows executable.
    (
      "accept+trailing-data", "jpeg--MZ-inside-trailer.jpg", "document",
      {
        let noise: [UInt8] = (0..<3000).map { (index: Int) -> UInt8 in UInt8((index * 37 + 11) & 0xFF) }
        var data = photo
        data.append(contentsOf: noise)
        data.append(contentsOf: Array("MZ".utf8))
        data.append(Data(repeating: 7, count: 40))
        return data
      }
    ),
    (
      "polyglot", "jpeg--windows-executable-appended.jpg", "document",
      { photo + bytes("application_vnd.microsoft.portable-executable--setup.exe") }
    ),
    (
      "accept+trailing-data", "jpeg--undeclared-preview-jpeg.jpg", "document",
      { photo + bytes("image_jpeg--jfif-photo.jpg") }
    ),
    (
      "accept", "jpeg--motion-photo-video-declared-in-XMP.jpg", "document",
      {
        let video = bytes("video_mp4--clip.mp4")
        return withMotionPhotoXMP(photo, videoBytes: video.count) + video
      }
    ),
    (
      "accept", "jpeg--samsung-SEFT-trailer.jpg", "document",
      {
        // One data block (200 bytes), the SEFH directory (version, one entry: type, the block's
        // distance back from the directory, its length), the directory's length, "SEFT".
        var data = photo
        data.append(Data(repeating: 0x11, count: 200))
        data.append(contentsOf: Array("SEFH".utf8) + [0x6B, 0, 0, 0] + [1, 0, 0, 0])
        data.append(contentsOf: [0, 0, 0x01, 0x0A] + [200, 0, 0, 0] + [200, 0, 0, 0])
        data.append(contentsOf: [24, 0, 0, 0] + Array("SEFT".utf8))
        return data
      }
    ),
    (
      "polyglot", "png--zip-archive-after-junk.png", "document",
      {
        bytes("image_png--diagram.png") + Data(repeating: 0x42, count: 300) + bytes("application_zip--folder.zip")
      }
    ),
    // An incremental update cut off mid-upload: say so, never "a second format".
    (
      "corrupt-file", "pdf--incremental-update-cut-off.pdf", "document",
      {
        bytes("application_pdf--report.pdf") + Data("\n5 0 obj\n<< /Type /Annot /Subtype /Text /Contents (draft".utf8)
      }
    ),
    // A tagger's zero padding between the ID3 tag and the first frame (MusicBee, Windows).
    (
      "accept", "mp3--id3-then-70KB-of-zero-padding.mp3", "media",
      { id3(size: 40) + Data(repeating: 0, count: 70_000) + frames }
    ),
    (
      "accept", "mp3--cover-art-tag-then-padding.mp3", "media",
      {
        id3(size: 40_000) + Data(repeating: 0, count: 40_000) + frames
      }
    ),
    ("accept", "mp3--two-id3-tags.mp3", "media", { id3(size: 200) + id3(size: 300) + frames }),
    // A tag and two frames is not a recording.
    ("corrupt-file", "mp3--tag-and-two-frames.mp3", "media", { id3(size: 40) + frames.prefix(830) }),
  ]

  @Test(arguments: cases.indices)
  func theFileGetsTheAnswerItsNameSays(index: Int) throws {
    let (answer, name, role, make) = Self.cases[index]
    let drop = try TestDrop()
    defer { drop.remove() }
    try item(drop, file: name, role: role, data: make())
    let validation = try validate(drop)
    let codes = Set(validation.findings.filter { $0.file?.hasSuffix(name) == true }.map(\.code.rawValue))
    let expected: Set<String> =
      switch answer {
      case "accept": []
      case "accept+trailing-data": ["trailing-data"]
      default: [answer]
      }
    #expect(codes == expected, "\(name): \(validation.findings.map(\.messageEN))")
    let record = try #require(validation.files.first)
    #expect(record.verdict == (answer.hasPrefix("accept") ? .accepted : .rejected), "\(name)")
    if answer == "polyglot" || answer == "corrupt-file" {
      #expect(
        !validation.findings.contains { $0.messageEN.contains("Windows executable") && !name.contains("windows") })
    }
  }

  @Test func trailingDataSaysHowManyBytes() throws {
    let drop = try TestDrop()
    defer { drop.remove() }
    try item(drop, file: "a.png", data: Self.bytes("image_png--diagram.png") + Data(repeating: 0x42, count: 123))
    let finding = try #require(try validate(drop).findings.first { $0.code == .trailingData })
    #expect(finding.severity == .warning && finding.messageEN.contains("123 bytes"))
  }
}
