import Foundation
import Testing

@testable import PortfolioCore

/// The scan's items found by key through sorted positions: the same answers a dictionary of
/// keys gave (the first of two items with one key; canonically equal ids are one id).
@Suite struct ItemIndexTests {
  static func item(_ student: String, _ id: String?, title: String = "作品") throws -> ScannedItem {
    guard let id else {
      return ScannedItem(studentNumber: student, folder: "uploads/\(student)/broken", manifest: nil, files: [])
    }
    let json = """
      {"itemId":"\(id)","kind":"multiple-performance","academicYear":112,"title":"\(title)",\
      "files":[{"name":"a.pdf","role":"document"}]}
      """
    let manifest = try JSONDecoder().decode(ItemManifest.self, from: Data(json.utf8))
    return ScannedItem(studentNumber: student, folder: "uploads/\(student)/\(id)", manifest: manifest, files: [])
  }

  @Test func findsTheFirstItemOfAKeyAndNothingForAnUnknownKey() throws {
    let items = [
      try Self.item("310002", "mp-2"), try Self.item("310001", "mp-1", title: "第一"),
      try Self.item("310001", "mp-1", title: "第二"), try Self.item("310003", nil), try Self.item("310001", "mp-9"),
      try Self.item("310001", "cafe\u{301}"),
    ]
    let index = ItemIndex(items)
    #expect(index.positions.count == 5)  // the item without a usable item.json has no key
    #expect(index[ItemKey(studentNumber: "310001", itemId: "mp-1")]?.title == "第一")
    #expect(index.position(of: ItemKey(studentNumber: "310001", itemId: "mp-1")) == 1)
    #expect(index.position(of: ItemKey(studentNumber: "310002", itemId: "mp-2")) == 0)
    #expect(index.position(of: ItemKey(studentNumber: "310001", itemId: "mp-9")) == 4)
    #expect(index.position(of: ItemKey(studentNumber: "310001", itemId: "caf\u{E9}")) == 5)
    #expect(index[ItemKey(studentNumber: "310001", itemId: "mp-2")] == nil)
    #expect(index[ItemKey(studentNumber: "310003", itemId: "broken")] == nil)
    #expect(index[ItemKey(studentNumber: "310004", itemId: "mp-1")] == nil)
    #expect(index[ItemKey(studentNumber: "", itemId: "")] == nil)
    #expect(ItemIndex([])[ItemKey(studentNumber: "310001", itemId: "mp-1")] == nil)
  }

  @Test func answersAsADictionaryOfKeysWouldForEveryKey() throws {
    var generator = SystemRandomNumberGenerator()
    var items: [ScannedItem] = []
    for _ in 0..<300 {
      let student = String(310_000 + Int.random(in: 0..<20, using: &generator))
      let id = Int.random(in: 0..<10, using: &generator) == 0 ? nil : "mp-\(Int.random(in: 0..<15, using: &generator))"
      items.append(try Self.item(student, id))
    }
    var expected: [ItemKey: Int] = [:]
    for (position, item) in items.enumerated() {
      guard let manifest = item.manifest else { continue }
      let key = ItemKey(studentNumber: item.studentNumber, itemId: manifest.itemId)
      if expected[key] == nil { expected[key] = position }
    }
    let index = ItemIndex(items)
    for student in 310_000..<310_021 {
      for id in 0..<16 {
        let key = ItemKey(studentNumber: String(student), itemId: "mp-\(id)")
        #expect(index.position(of: key) == expected[key], "\(key)")
      }
    }
  }
}
