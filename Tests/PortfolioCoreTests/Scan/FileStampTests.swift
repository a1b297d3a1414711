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

  /// The reading before it went by bytes: split on the separators, parse each field, print
  /// them again and compare — the witness for which texts are kept as numbers.
  static func printedAgain(_ text: String) -> Bool {
    let fields = text.split(separator: ":", omittingEmptySubsequences: false)
    guard fields.count == 5 else { return false }
    let modified = fields[3].split(separator: ".", omittingEmptySubsequences: false)
    let changed = fields[4].split(separator: ".", omittingEmptySubsequences: false)
    guard modified.count == 2, changed.count == 2, let device = UInt64(fields[0]), let inode = UInt64(fields[1]),
      let size = Int64(fields[2]), let modifiedSeconds = Int64(modified[0]), let changedSeconds = Int64(changed[0]),
      let modifiedNanoseconds = UInt32(modified[1]), let changedNanoseconds = UInt32(changed[1])
    else { return false }
    return
      "\(device):\(inode):\(size):\(modifiedSeconds).\(modifiedNanoseconds):\(changedSeconds).\(changedNanoseconds)"
      == text
  }

  @Test func numbersAreReadExactlyWhenTheirTextIsTheirOnlyPrintedForm() {
    var texts = [
      "1:2:3:4.5:6.7", "0:0:0:0.0:0.0", "1:2:-3:-4.5:-6.7", "1:2:-0:4.5:6.7", "1:2:3:-0.5:6.7", "01:2:3:4.5:6.7",
      "1:2:3:4.5:6.07", "1:2:3:4.5:6.", "1:2:3:.5:6.7", "1:2:3:4.5:6.7 ", " 1:2:3:4.5:6.7", "1:2:3:4:5:6.7",
      "18446744073709551616:2:3:4.5:6.7", "1:2:9223372036854775808:4.5:6.7", "1:2:-9223372036854775808:4.5:6.7",
      "1:2:-9223372036854775809:4.5:6.7", "1:2:3:4.4294967295:6.4294967295", "1:2:3:4.4294967296:6.7",
      "1:2:3:4.5:6.7\n", "1:2:3:4,5:6.7", "1:2:3:4.5:6.7.8", "1:2:3:4.5:6.+7", "１:2:3:4.5:6.7", "1::3:4.5:6.7",
    ]
    // And texts made of the characters a stamp is made of, at random.
    var generator = SystemRandomNumberGenerator()
    let alphabet = Array("0123456789:.-+")
    for _ in 0..<5_000 {
      let length = Int.random(in: 9...24, using: &generator)
      texts.append(String((0..<length).map { _ in alphabet.randomElement(using: &generator)! }))
    }
    for _ in 0..<2_000 {
      let numbers = (0..<7).map { _ in String(UInt64.random(in: 0...UInt64(UInt32.max), using: &generator)) }
      texts.append("\(numbers[0]):\(numbers[1]):\(numbers[2]):\(numbers[3]).\(numbers[4]):\(numbers[5]).\(numbers[6])")
    }
    var kept = 0
    for text in texts {
      let stamp = FileStamp(text)
      #expect(stamp.keptAsNumbers == Self.printedAgain(text), "\(text)")
      #expect(stamp.text == text)
      if stamp.keptAsNumbers { kept += 1 }
    }
    #expect(kept >= 2_000)
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
