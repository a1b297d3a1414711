import Foundation
import Testing

@testable import PortfolioCore

/// A scanned file keeps its item's folder as one shared string and its disk name only when the
/// bytes differ from the listed name: the path reads back exactly as it was given.
@Suite struct ScannedFileTests {
  static func file(_ name: String, _ path: String) -> ScannedFile {
    ScannedFile(name: name, role: .document, relativePath: path, bytes: 1, mtime: 2, identity: "1:2:1:3.4:5.6")
  }

  @Test func thePathReadsBackExactlyAsGiven() {
    for (name, path) in [
      ("a.pdf", "uploads/310001/mp-1/a.pdf"), ("心得.pdf", "uploads/310001/作品 1/心得.pdf"),
      ("a.pdf", "a.pdf"), ("a.pdf", "/a.pdf"), ("b.pdf", "uploads/310001/mp-1/a.pdf"), ("", "uploads/x/"),
    ] {
      #expect(Array(Self.file(name, path).relativePath.utf8) == Array(path.utf8), "\(path)")
    }
  }

  @Test func aDecomposedNameOnDiskStaysDecomposed() {
    let composed = "caf\u{E9}.pdf"
    let decomposed = "cafe\u{301}.pdf"
    let file = ScannedFile(
      name: composed, role: .media, folder: "uploads/310001/mp-1/", diskName: decomposed, bytes: 1, mtime: 2,
      stamp: FileStamp("1:2:1:3.4:5.6"))
    #expect(Array(file.relativePath.utf8) == Array("uploads/310001/mp-1/\(decomposed)".utf8))
    #expect(Array(file.name.utf8) == Array(composed.utf8))
    let same = ScannedFile(
      name: "a.pdf", role: .media, folder: "uploads/310001/mp-1/", diskName: "a.pdf", bytes: 1, mtime: 2,
      stamp: FileStamp("1:2:1:3.4:5.6"))
    #expect(same.relativePath == "uploads/310001/mp-1/a.pdf")
    #expect(same != Self.file("a.pdf", "uploads/310001/mp-1/a.pdf"))  // the role differs
    var moved = same
    moved.relativePath = "uploads/310002/mp-1/a.pdf"
    #expect(moved != same && moved.relativePath == "uploads/310002/mp-1/a.pdf" && moved.name == "a.pdf")
  }

  @Test func anItemDecodedFromScanJSONKeepsEveryPath() throws {
    let item = ScannedItem(
      studentNumber: "310001", folder: "uploads/310001/mp-1", manifest: nil,
      files: [Self.file("a.pdf", "uploads/310001/mp-1/a.pdf"), Self.file("b.pdf", "uploads/310001/mp-1/b.pdf")])
    let decoded = try JSONDecoder().decode(ScannedItem.self, from: try JSONEncoder().encode(item))
    #expect(decoded.files == item.files)
    #expect(decoded.files.map(\.relativePath) == ["uploads/310001/mp-1/a.pdf", "uploads/310001/mp-1/b.pdf"])
  }
}
