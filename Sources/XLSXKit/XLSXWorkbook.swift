import CLibXLSXWriter

#if canImport(Glibc)
  import Glibc
#endif

/// One value of a worksheet cell.
public enum XLSXCell: Sendable, Equatable {
  /// Written as a text cell with the text number format (`@`), so `0960514` keeps its zero.
  case text(String)
  /// Written as a number.
  case number(Double)
  /// Nothing is written.
  case empty
}

/// The fixed document properties of a workbook: the same inputs give the same bytes.
public struct XLSXProperties: Sendable {
  public var title: String
  public var subject: String
  public var author: String
  public var company: String
  /// Seconds since 1970 written as the creation (and modification) time.
  public var created: Int

  public init(title: String, subject: String, author: String, company: String, created: Int) {
    self.title = title
    self.subject = subject
    self.author = author
    self.company = company
    self.created = created
  }
}

/// An xlsx workbook written by libxlsxwriter. It owns the `lxw_workbook` handle: the sheets it
/// adds live as long as it does, and `close()` (which writes the file) is where a write error
/// surfaces. A workbook dropped without `close()` is freed and writes nothing.
///
/// Not thread-safe: one workbook per task.
public final class XLSXWorkbook {
  private var handle: UnsafeMutablePointer<lxw_workbook>?
  private let header: UnsafeMutablePointer<lxw_format>
  private let text: UnsafeMutablePointer<lxw_format>
  private let path: String

  /// A workbook to be written to `path` on `close()`. libxlsxwriter's own temporary files go to
  /// `temporaryFolder` (the output folder keeps them on the same disk as the result).
  public init(path: String, temporaryFolder: String, properties: XLSXProperties) throws(XLSXError) {
    self.path = path
    // libxlsxwriter's structs take `char *`; it copies what it keeps, so C copies freed after
    // the call are enough.
    let folder = strdup(temporaryFolder)
    defer { free(folder) }
    var options = lxw_workbook_options()
    options.constant_memory = 0
    options.tmpdir = folder
    options.use_zip64 = 0
    let made = workbook_new_opt(path, &options)
    guard let made else {
      throw XLSXError(call: "workbook_new_opt", context: path, message: "could not create the workbook")
    }
    guard let header = workbook_add_format(made), let text = workbook_add_format(made) else {
      lxw_workbook_free(made)
      throw XLSXError(call: "workbook_add_format", context: path, message: "out of memory")
    }
    format_set_bold(header)
    format_set_num_format(header, "@")
    format_set_num_format(text, "@")
    self.handle = made
    self.header = header
    self.text = text
    try setProperties(properties)
  }

  deinit {
    if let handle { lxw_workbook_free(handle) }
  }

  private func setProperties(_ properties: XLSXProperties) throws(XLSXError) {
    guard let handle else { return }
    let texts: [String] = [properties.title, properties.subject, properties.author, properties.company]
    let copies = texts.map { text in strdup(text) }
    defer { for copy in copies { free(copy) } }
    var values = lxw_doc_properties()
    values.title = copies[0]
    values.subject = copies[1]
    values.author = copies[2]
    values.company = copies[3]
    values.created = time_t(properties.created)
    try XLSXError.check(workbook_set_properties(handle, &values), call: "workbook_set_properties", context: path)
  }

  /// Adds a sheet named `name` (at most 31 characters, none of `[]:*?/\`) with `headers` in
  /// bold in its first row and each column `widths[i]` characters wide.
  public func addSheet(_ name: String, headers: [String], widths: [Double]) throws(XLSXError) -> XLSXSheet {
    guard let handle else { throw XLSXError(call: "workbook_add_worksheet", context: name, message: "closed") }
    // libxlsxwriter reads an empty name as "use the default" (Sheet1); Excel has no unnamed sheet.
    guard !name.isEmpty else {
      throw XLSXError(call: "workbook_validate_sheet_name", context: name, message: "a sheet name cannot be empty")
    }
    try XLSXError.check(workbook_validate_sheet_name(handle, name), call: "workbook_validate_sheet_name", context: name)
    guard let sheet = workbook_add_worksheet(handle, name) else {
      throw XLSXError(call: "workbook_add_worksheet", context: name, message: "the sheet could not be added")
    }
    let made = XLSXSheet(workbook: self, sheet: sheet, name: name, textFormat: text)
    for (column, width) in widths.enumerated() {
      let index = lxw_col_t(column)
      try XLSXError.check(
        worksheet_set_column(sheet, index, index, width, nil), call: "worksheet_set_column", context: name)
    }
    try made.write(row: 0, headers.map(XLSXCell.text), format: header)
    return made
  }

  /// Writes the file. Throws libxlsxwriter's message when it cannot (the disk is full, the
  /// folder vanished); the handle is freed either way.
  public func close() throws(XLSXError) {
    guard let handle else { return }
    self.handle = nil
    try XLSXError.check(workbook_close(handle), call: "workbook_close", context: path)
  }
}

/// A sheet of an `XLSXWorkbook`; it keeps its workbook alive.
public final class XLSXSheet {
  private let workbook: XLSXWorkbook
  private let sheet: UnsafeMutablePointer<lxw_worksheet>
  private let textFormat: UnsafeMutablePointer<lxw_format>
  public let name: String

  init(
    workbook: XLSXWorkbook, sheet: UnsafeMutablePointer<lxw_worksheet>, name: String,
    textFormat: UnsafeMutablePointer<lxw_format>
  ) {
    self.workbook = workbook
    self.sheet = sheet
    self.name = name
    self.textFormat = textFormat
  }

  /// Prints on A4 in landscape, scaled to one page wide (as many pages tall as the rows need),
  /// with the header row repeated on every page. The corresponding C functions are
  /// `worksheet_set_paper`, `worksheet_set_landscape`, `worksheet_fit_to_pages` and
  /// `worksheet_repeat_rows`.
  public func printOnA4LandscapeOnePageWide() throws(XLSXError) {
    worksheet_set_paper(sheet, 9)  // 9: A4 (210 × 297 mm) in the spreadsheet paper codes
    worksheet_set_landscape(sheet)
    worksheet_fit_to_pages(sheet, 1, 0)
    try XLSXError.check(worksheet_repeat_rows(sheet, 0, 0), call: "worksheet_repeat_rows", context: name)
  }

  /// Writes `cells` into row `row` (0 is the header row), from the first column.
  public func write(row: Int, _ cells: [XLSXCell]) throws(XLSXError) {
    try write(row: row, cells, format: textFormat)
  }

  func write(row: Int, _ cells: [XLSXCell], format: UnsafeMutablePointer<lxw_format>) throws(XLSXError) {
    guard row >= 0, row < 1_048_576, cells.count <= 16_384 else {
      throw XLSXError(call: "worksheet_write", context: "\(name) row \(row)", message: "outside the sheet")
    }
    for (column, cell) in cells.enumerated() {
      let (at, col) = (lxw_row_t(row), lxw_col_t(column))
      let result: lxw_error
      switch cell {
      case .text(let value): result = worksheet_write_string(sheet, at, col, value, format)
      case .number(let value): result = worksheet_write_number(sheet, at, col, value, nil)
      case .empty: continue
      }
      try XLSXError.check(result, call: "worksheet_write", context: "\(name) row \(row + 1) column \(column + 1)")
    }
  }
}
