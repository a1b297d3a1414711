import Foundation
import Testing

@testable import PortfolioCore

/// A file's identity kept as numbers reads back as exactly the text `stat` gave.
@Suite struct FileStampTests {
  @Test func aStatIdentityComesBackAsItsText() throws {
    let path = NSTemporaryDirectory() + "stamp-\(UUID().uuidString)"
    FileManager.default.createFile(atPath: path, contents: Data("x".utf8))
    defer { unlink(path) }
    let fd = open(path, O_RDONLY)
    defer { close(fd) }
    let text = FileSystem.identity(fd: fd).text
    #expect(FileStamp(text).text == text)
    #expect(FileStamp(text) == FileStamp(text))
    // The scan keeps the numbers of lstat as they are: the same stamp, the same text.
    guard case .success(let found) = FileSystem.statRegularFile(path) else {
      Issue.record("lstat of \(path) failed")
      return
    }
    #expect(found.stamp == FileStamp(text))
    #expect(found.stamp.text == text)
    #expect(found.size == 1)
  }

  @Test func numbersAndTheirEdgesReadBackExactly() {
    for text in [
      "2049:131:0:0.0:0.0", "18446744073709551615:18446744073709551615:9223372036854775807:-5.999999999:1.1",
      "1:2:3:1700000000.4294967295:1700000000.7",
    ] {
      #expect(FileStamp(text).text == text)
    }
  }

  @Test func textThatIsNoIdentityIsKeptAsItIs() {
    for text in [
      "unknown", "", "1:2:3:4.05:6.7", "1:2:3:4.5", "1:2:3:4.4294967296:6.7", "+1:2:3:4.5:6.7", "1:2:3:4.5:6.7:8",
    ] {
      #expect(FileStamp(text).text == text)
    }
    #expect(FileStamp("1:2:3:4.5:6.7") != FileStamp("1:2:3:4.5:6.8"))
  }

  @Test func aScannedFileIsCodedWithItsIdentityAsText() throws {
    let file = ScannedFile(
      name: "a.pdf", role: .document, relativePath: "uploads/1/a/a.pdf", bytes: 3, mtime: 4, identity: "9:8:3:4.5:6.7")
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let json = String(decoding: try encoder.encode(file), as: UTF8.self)
    #expect(
      json
        == #"{"bytes":3,"identity":"9:8:3:4.5:6.7","mtime":4,"name":"a.pdf","relativePath":"uploads\/1\/a\/a.pdf","role":"document"}"#
    )
    #expect(try JSONDecoder().decode(ScannedFile.self, from: Data(json.utf8)) == file)
  }
}
