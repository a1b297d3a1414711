import Foundation
import XMLKit
import ZipKit

/// What the school submitted: the rosters of one school and academic year in a presubmit
/// output folder (`rosters/{school}_{year}_{term}_{book}.xlsx`), read back from the files
/// themselves, and the original file names of the central packages they link to.
struct SubmittedRosters: Sendable {
  struct Book: Hashable, Sendable, Comparable {
    var book: RosterBook
    var term: Int
    static func < (lhs: Book, rhs: Book) -> Bool { (lhs.term, lhs.book) < (rhs.term, rhs.book) }
  }

  struct Sheet: Sendable {
    var headers: [String]
    var records: [SheetRecord]
  }

  var folder: String
  var schoolCode: String
  var academicYear: Int
  var books: [Book: [String: Sheet]]
  /// `{package}#{entry}` → the file's original name and its item's title.
  var files: [String: (name: String, title: String)] = [:]

  static let namePattern = #"^([0-9A-Z]{6})_([0-9]{3})_([0-2])_([0-9]{1,2})\.xlsx$"#

  /// The rosters folder of a presubmit output folder (or the folder itself when it holds them).
  static func rostersFolder(_ submitted: String) -> String {
    if case .success(let entry) = FileSystem.entry(at: submitted + "/rosters"), entry.kind == .directory {
      return submitted + "/rosters"
    }
    return submitted
  }

  /// Reads the rosters of one school and academic year (the receipt's) from the folder; rosters
  /// of other years beside them (a presubmit folder kept from year to year) are not read.
  static func load(_ submitted: String, schoolCode: String, academicYear: Int, receipt: String)
    throws(EnvironmentError) -> SubmittedRosters
  {
    let folder = rostersFolder(submitted)
    guard case .success(let names) = FileSystem.names(in: folder) else {
      throw ReceiptErrors.noRosters(submitted)
    }
    let all = names.compactMap(\.string).sorted().compactMap { name -> (String, [String])? in
      guard let match = name.range(of: namePattern, options: .regularExpression) else { return nil }
      return (name, name[match].dropLast(5).split(separator: "_").map(String.init))
    }
    guard !all.isEmpty else { throw ReceiptErrors.noRosters(submitted) }
    let named = all.filter { $0.1[0] == schoolCode && Int($0.1[1]) == academicYear }
    guard !named.isEmpty else {
      let found = Set(all.map { "school \($0.1[0]), year \($0.1[1])" }).sorted().joined(separator: "; ")
      throw ReceiptErrors.otherRun(
        receipt, entry: "the receipt", receipt: "school \(schoolCode), year \(academicYear)",
        submitted: "\(found) (\(folder))")
    }
    var rosters = SubmittedRosters(folder: folder, schoolCode: schoolCode, academicYear: academicYear, books: [:])
    for (name, parts) in named {
      guard let book = Int(parts[3]).flatMap(RosterBook.init(rawValue:)), let term = Int(parts[2]) else { continue }
      let workbook: WorkbookText
      do {
        workbook = try WorkbookText.read(path: folder + "/" + name)
      } catch {
        throw ReceiptErrors.unreadableRoster(folder + "/" + name, "\(error)")
      }
      rosters.books[Book(book: book, term: term)] = sheets(of: workbook)
    }
    rosters.files = packageFiles(submitted)
    return rosters
  }

  /// The data sheets of a workbook (the cover left out), their records keyed by person.
  static func sheets(of workbook: WorkbookText) -> [String: Sheet] {
    var sheets: [String: Sheet] = [:]
    for sheet in workbook.sheets where !sheet.name.hasSuffix("封面") {
      guard let headers = sheet.rows.first, headers.count >= 2, headers[0] == "身分證號", headers[1] == "出生日期"
      else { continue }
      let records = sheet.rows.dropFirst().filter { !$0.allSatisfy(\.isEmpty) }.map { row in
        var values: [String: String] = [:]
        for (index, header) in headers.enumerated().dropFirst(2) {
          values[header] = index < row.count ? row[index] : ""
        }
        return SheetRecord(
          person: PersonKey(idNumber: row.first ?? "", birth: row.count > 1 ? row[1] : ""), sheet: sheet.name,
          values: values)
      }
      sheets[sheet.name] = Sheet(headers: Array(headers.dropFirst(2)), records: records)
    }
    return sheets
  }

  /// The original names of the files the rosters link to, from the central packages' manifests
  /// (read with the check's caps; a package that cannot be read only loses its names here).
  static func packageFiles(_ submitted: String) -> [String: (name: String, title: String)] {
    guard case .success(let names) = FileSystem.names(in: submitted + "/packages") else { return [:] }
    var files: [String: (name: String, title: String)] = [:]
    for name in names.compactMap(\.string) where name.hasSuffix(".zip") && name.contains("_central_") {
      guard let reader = try? ZipArchiveReader(path: submitted + "/packages/" + name),
        let entry = try? reader.entries().first(where: { $0.name == "manifest.xml" }),
        let bytes = try? reader.readAll(entry, maxBytes: PackageCaps.manifestCap),
        let root = try? XMLDocument(bytes: bytes).rootElement(), let manifest = ManifestXML.read(root)
      else { continue }
      for packaged in manifest.items where packaged.item.kind != .consultation {
        for file in packaged.files { files[name + "#" + file.path] = (file.originalName, packaged.item.title ?? "") }
      }
    }
    return files
  }

  /// The terms of the per-term books (2 and 24) submitted.
  var terms: Set<Int> { Set(books.keys.filter { $0.book.isPerTerm }.map(\.term)) }
}
