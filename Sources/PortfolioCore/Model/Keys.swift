/// The join key of an item: which student, which item id (stages join on it, never on text).
public struct ItemKey: Hashable, Sendable, Comparable {
  public var studentNumber: String
  public var itemId: String

  public init(studentNumber: String, itemId: String) {
    self.studentNumber = studentNumber
    self.itemId = itemId
  }

  public static func < (a: ItemKey, b: ItemKey) -> Bool {
    (a.studentNumber, a.itemId) < (b.studentNumber, b.itemId)
  }
}

/// The join key of one listed file of an item (the name as item.json gives it).
public struct FileKey: Hashable, Sendable {
  public var item: ItemKey
  public var fileName: String

  public init(item: ItemKey, fileName: String) {
    self.item = item
    self.fileName = fileName
  }
}
