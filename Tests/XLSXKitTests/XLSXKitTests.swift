import Foundation
import Testing
import XLSXKit

/// The libxlsxwriter wrapper: errors carry the library's message, nothing is written without
/// `close()`, and the same cells and properties give the same bytes.
@Suite struct XLSXKitTests {
  let folder = NSTemporaryDirectory() + "xlsxkit-\(UUID().uuidString)"
  let properties = XLSXProperties(title: "t", subject: "s", author: "a", company: "c", created: 1_700_000_000)

  init() throws { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }

  func book(_ name: String) throws -> Data? {
    let workbook = try XLSXWorkbook(path: folder + "/" + name, temporaryFolder: folder, properties: properties)
    let sheet = try workbook.addSheet("名冊", headers: ["日期", "數"], widths: [10, 8])
    try sheet.write(row: 1, [.text("0960514"), .number(2)])
    try workbook.close()
    return FileManager.default.contents(atPath: folder + "/" + name)
  }

  @Test func theSameCellsGiveTheSameBytes() throws {
    let first = try book("a.xlsx")
    Thread.sleep(forTimeInterval: 1.1)
    let second = try book("b.xlsx")
    #expect(first != nil && first == second)
    try? FileManager.default.removeItem(atPath: folder)
  }

  @Test(arguments: ["a/b", "[x]", "", String(repeating: "長", count: 32)])
  func anInvalidSheetNameIsATypedErrorWithTheLibrarysMessage(name: String) throws {
    let workbook = try XLSXWorkbook(path: folder + "/bad.xlsx", temporaryFolder: folder, properties: properties)
    #expect {
      _ = try workbook.addSheet(name, headers: [], widths: [])
    } throws: { error in
      (error as? XLSXError).map { $0.call == "workbook_validate_sheet_name" && !$0.message.isEmpty } ?? false
    }
    try? FileManager.default.removeItem(atPath: folder)
  }

  @Test func closingIntoAMissingFolderThrowsAndADroppedWorkbookWritesNothing() throws {
    let workbook = try XLSXWorkbook(
      path: folder + "/missing/x.xlsx", temporaryFolder: folder, properties: properties)
    _ = try workbook.addSheet("s", headers: ["h"], widths: [5])
    #expect(throws: XLSXError.self) { try workbook.close() }
    do {
      let dropped = try XLSXWorkbook(path: folder + "/dropped.xlsx", temporaryFolder: folder, properties: properties)
      _ = try dropped.addSheet("s", headers: ["h"], widths: [5])
    }
    #expect(!FileManager.default.fileExists(atPath: folder + "/dropped.xlsx"))
    try? FileManager.default.removeItem(atPath: folder)
  }
}
