/// Where a finding points: the student, the item and the file (relative to the drop).
public struct FindingPlace: Sendable {
  public var studentNumber: String?
  public var itemId: String?
  /// Relative path for staff.
  public var file: String?
  /// The short name a student recognises (the file name they uploaded).
  public var shortName: String?

  public init(studentNumber: String? = nil, itemId: String? = nil, file: String? = nil, shortName: String? = nil) {
    self.studentNumber = studentNumber
    self.itemId = itemId
    self.file = file
    self.shortName = shortName
  }

  var label: String { shortName ?? file ?? itemId ?? "" }
}
