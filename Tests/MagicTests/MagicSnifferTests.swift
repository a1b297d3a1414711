import Foundation
import Magic
import Testing

/// The fixtures in `samples/sniff` are named after the answer libmagic must give:
/// `image_jpeg--exif-phone-photo.jpg` must be `image/jpeg`.
enum SniffFixtures {
  static let folder = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("samples/sniff")

  static var names: [String] {
    (try? FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()) ?? []
  }

  static func expectedMime(_ name: String) -> String {
    let answer = name.components(separatedBy: "--")[0]
    return answer.replacingOccurrences(of: "_", with: "/")
  }

  static func bytes(_ name: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: folder.appendingPathComponent(name)))
  }
}

@Suite struct MagicSnifferTests {
  @Test func fixturesCoverEveryTypeTheIssueNames() {
    let answers = Set(SniffFixtures.names.map(SniffFixtures.expectedMime))
    for required in [
      "application/pdf", "image/jpeg", "image/png", "audio/mpeg", "video/mp4",
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "application/zip",
      "text/html", "application/vnd.microsoft.portable-executable", "image/heic",
      "video/quicktime", "audio/x-m4a", "image/gif", "image/webp", "application/x-empty",
    ] {
      #expect(answers.contains(required), "no fixture for \(required)")
    }
    #expect(SniffFixtures.names.contains("image_jpeg--exif-phone-photo.jpg"))
    #expect(SniffFixtures.names.contains("audio_mpeg--frames-only.mp3"))
  }

  @Test(arguments: SniffFixtures.names)
  func sniffsByContent(name: String) throws {
    let sniffer = try MagicSniffer()
    let mime = try sniffer.mimeType(of: try SniffFixtures.bytes(name))
    #expect(mime == SniffFixtures.expectedMime(name), "\(name)")
  }

  @Test func exifPhoneJPEGReallyStartsWithAnExifSegment() throws {
    let bytes = try SniffFixtures.bytes("image_jpeg--exif-phone-photo.jpg")
    #expect(Array(bytes[0..<4]) == [0xFF, 0xD8, 0xFF, 0xE1])
    #expect(Array(bytes[6..<10]) == Array("Exif".utf8))
  }

  @Test func describesWhatAFileReallyIs() throws {
    let sniffer = try MagicSniffer()
    let text = try sniffer.describe(
      try SniffFixtures.bytes("application_vnd.microsoft.portable-executable--setup.exe"))
    #expect(text.contains("PE32"), "\(text)")
  }

  @Test func coverArtPushesFramesOutOfASmallWindowUnlessTheTagIsSkipped() throws {
    let bytes = try SniffFixtures.bytes("audio_mpeg--id3-cover-art.mp3")
    let window = 64 * 1024
    let sniffer = try MagicSniffer(bytesMax: window)
    let tagLength = try #require(
      bytes.withUnsafeBytes { MagicSniffer.id3v2TagLength($0) })
    #expect(tagLength > window)
    let afterTag = Array(bytes[tagLength..<min(bytes.count, tagLength + window)])
    #expect(try sniffer.mimeType(of: afterTag) == "audio/mpeg")
  }

  @Test func id3TagLengthRefusesMalformedHeaders() {
    let notID3: [UInt8] = Array("%PDF-1.5\n\n".utf8)
    let badSyncsafe: [UInt8] = [0x49, 0x44, 0x33, 3, 0, 0, 0x80, 0, 0, 0]
    let good: [UInt8] = [0x49, 0x44, 0x33, 3, 0, 0, 0, 0, 1, 0]
    #expect(notID3.withUnsafeBytes { MagicSniffer.id3v2TagLength($0) } == nil)
    #expect(badSyncsafe.withUnsafeBytes { MagicSniffer.id3v2TagLength($0) } == nil)
    #expect(good.withUnsafeBytes { MagicSniffer.id3v2TagLength($0) } == 10 + 128)
  }

  @Test func oneSnifferPerWorkerIsSafeConcurrently() async throws {
    let names = SniffFixtures.names
    try await withThrowingTaskGroup(of: Int.self) { group in
      for _ in 0..<4 {
        group.addTask {
          let sniffer = try MagicSniffer()
          var right = 0
          for _ in 0..<10 {
            for name in names
            where try sniffer.mimeType(of: try SniffFixtures.bytes(name))
              == SniffFixtures.expectedMime(name)
            {
              right += 1
            }
          }
          return right
        }
      }
      var total = 0
      for try await right in group { total += right }
      #expect(total == 4 * 10 * names.count)
    }
  }
}
