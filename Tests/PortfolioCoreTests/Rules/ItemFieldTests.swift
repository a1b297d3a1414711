import Foundation
import PortfolioCore
import TestSupport
import Testing

/// The fields the manifest's schema constrains are checked in `validate`, naming the field.
@Suite struct ItemFieldTests {
  @Test(arguments: [
    ("2023-10-01T10:00:00+08:00", true), ("2023-10-01T02:00:00Z", true), ("2023-10-01T10:00:00.250+08:00", true),
    ("2023-10-01", false), ("2023-10-01T10:00:00", false), ("2023-13-01T10:00:00+08:00", false),
    ("2023-10-01T10:00:00+0800", false), ("昨天", false),
  ])
  func uploadedAtNeedsAnISOTimeWithAnOffset(uploadedAt: String, valid: Bool) throws {
    let drop = try TestDrop()
    defer { drop.remove() }
    try item(drop, file: "a.png", data: try fixtureBytes("image_png--diagram.png"))
    let path = drop.root + "/uploads/110001/it-1/item.json"
    let text = try String(contentsOfFile: path, encoding: .utf8)
      .replacingOccurrences(of: "2023-10-01T10:00:00+08:00", with: uploadedAt)
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    let fields = try validate(drop).findings.filter { $0.code == .badMetadata }.compactMap { $0.details["field"] }
    #expect(fields.contains("uploadedAt") == !valid, "\(uploadedAt): \(fields)")
  }
}
