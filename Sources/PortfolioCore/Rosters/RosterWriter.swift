import Foundation
import XLSXKit
import XMLKit

#if canImport(Glibc)
  import Glibc
#endif

/// Writes the rosters (名冊) of one academic year from the same validation and selection as
/// `package --kind central`: the same students, the same items, file links into the same
/// packages. The rosters are the one output that carries ID numbers unmasked; nothing here
/// logs their contents.
public struct RosterWriter: Sendable {
  public let validation: Validation
  public let academicYear: Int
  /// Books 2 and 24 for this term only; both terms when `nil`.
  public let term: Int?
  public let generatedAt: Date

  public init(validation: Validation, academicYear: Int, term: Int?, generatedAt: Date) {
    self.validation = validation
    self.academicYear = academicYear
    self.term = term
    self.generatedAt = generatedAt
  }

  /// The students of the rosters with their central packages. `packaged`, when given, holds
  /// the central packages of this year a package stage of the same run built (a student
  /// refused there is left out here too): they are listed as built, not built again.
  /// Otherwise (the `roster` command alone) each package is built in memory and checked
  /// against the schema as `package` would.
  func students(packaged: [String: BuiltPackage]?) throws -> [RosterStudent] {
    let md5ByPath = Dictionary(
      validation.files.compactMap { record in record.md5.map { (record.path, $0) } },
      uniquingKeysWith: { first, _ in first })
    let enrolled = validation.scan.roster.students.values.filter { $0.isEnrolled(in: academicYear) }
      .sorted { $0.studentNumber < $1.studentNumber }
    func entry(_ student: Student, _ built: BuiltPackage) -> RosterStudent {
      let md5 = Dictionary(
        built.sources.map { ($0.entry, md5ByPath[$0.source] ?? "") }, uniquingKeysWith: { first, _ in first })
      return RosterStudent(student: student, manifest: built.manifest, packageName: built.name, md5ByEntry: md5)
    }
    if let packaged {
      return enrolled.compactMap { student in packaged[student.studentNumber].map { entry(student, $0) } }
    }
    let packager = try Packager(
      validation: validation, kind: .central, academicYear: academicYear, generatedAt: generatedAt)
    let schema = try ManifestSchema.load()
    return try enrolled.compactMap { student -> RosterStudent? in
      guard packager.blockingFindings(student).isEmpty else { return nil }
      let (manifest, sources, _) = packager.buildManifest(student)
      let xml = try ManifestXML.write(manifest)
      guard schema.errors(in: try XMLDocument(bytes: xml)).isEmpty else { return nil }
      let built = BuiltPackage(
        manifest: manifest, name: packager.packageName(student), sources: sources.map { ($0.entry, $0.source) })
      return entry(student, built)
    }
  }

  /// Every workbook of the year: books 2 and 24 per term, books 25 and 26 with term 0.
  public func workbooks(packaged: [String: BuiltPackage]? = nil) throws -> [RosterWorkbook] {
    try workbooks(of: try students(packaged: packaged))
  }

  func workbooks(of students: [RosterStudent]) throws -> [RosterWorkbook] {
    let rows = RosterRows(students: students, timeZone: timeZone)
    let school = validation.scan.school?.schoolCode ?? "000000"
    func workbook(_ book: RosterBook, term: Int, _ sheets: [RosterSheet]) -> RosterWorkbook {
      let cover = RosterSheet(
        name: book.title + "封面", headers: RosterLayout.cover,
        rows: [[.text(school), .number(Double(academicYear)), .number(Double(term)), .number(Double(book.rawValue))]])
      return RosterWorkbook(
        book: book, schoolCode: school, academicYear: academicYear, term: term, sheets: [cover] + sheets)
    }
    let key = RosterLayout.key
    var books: [RosterWorkbook] = []
    for term in term.map({ [$0] }) ?? [1, 2] {
      books.append(
        workbook(
          .grades, term: term,
          [
            RosterSheet(
              name: RosterLayout.gradesSheet, headers: key + RosterLayout.grades, rows: rows.grades(term: term))
          ]
        ))
      books.append(
        workbook(
          .cadres, term: term,
          [
            RosterSheet(
              name: RosterLayout.cadresSheet, headers: key + RosterLayout.cadres, rows: rows.cadres(term: term))
          ]
        ))
    }
    books.append(
      workbook(
        .performances, term: 0,
        RosterLayout.performances.map { category, sheet, columns in
          RosterSheet(
            name: sheet, headers: key + columns.map(\.0) + RosterLayout.performanceTail,
            rows: rows.performances(category: category, columns: columns))
        }))
    books.append(
      workbook(
        .outcomes, term: 0,
        [RosterSheet(name: RosterLayout.outcomesSheet, headers: key + RosterLayout.outcomes, rows: rows.outcomes())]))
    return books.sorted { ($0.term, $0.book) < ($1.term, $1.book) }
  }

  /// What `write` did: the workbooks written, the students in them and the students of the
  /// year left out (their central package is refused: invalid ID number, over the limit, …).
  public struct Output: Sendable {
    public var paths: [String]
    public var students: [String]
    public var leftOut: [String]
    /// Workbooks not written because no sheet of theirs has a row (a school must not upload an
    /// empty roster); a file of that name from an earlier run is removed (it would be stale).
    public var empty: [String] = []
  }

  /// Writes every workbook into `folder`, each under a temporary name renamed once complete.
  public func write(into folder: String, packaged: [String: BuiltPackage]? = nil) throws -> Output {
    try AtomicFile.makePrivateFolder(folder)  // the rosters carry ID numbers
    AtomicFile.removeStaleTemporaries(in: folder)
    let included = try students(packaged: packaged)
    let numbers = Set(included.map(\.student.studentNumber))
    let leftOut = validation.scan.roster.students.values.filter { $0.isEnrolled(in: academicYear) }
      .map(\.studentNumber).filter { !numbers.contains($0) }.sorted()
    var written: [String] = []
    var empty: [String] = []
    for book in try workbooks(of: included) {
      let final = folder + "/" + book.fileName
      guard book.sheets.dropFirst().contains(where: { !$0.rows.isEmpty }) else {
        empty.append(book.fileName)
        unlink(final)
        continue
      }
      let temporary = folder + "/.\(book.fileName).tmp-\(getpid())"
      do {
        try write(book, to: temporary, temporaryFolder: folder)
        let fd = open(temporary, O_RDONLY | O_CLOEXEC)
        if fd >= 0 {
          _ = fsync(fd)
          close(fd)
        }
        try AtomicFile.makePrivate(temporary)
        guard rename(temporary, final) == 0 else { throw SystemError(call: "rename", path: final, errno: errno) }
      } catch {
        unlink(temporary)
        throw error
      }
      written.append(final)
    }
    AtomicFile.syncFolder(folder)
    return Output(paths: written, students: numbers.sorted(), leftOut: leftOut, empty: empty)
  }

  func write(_ book: RosterWorkbook, to path: String, temporaryFolder: String) throws {
    let school = validation.scan.school
    let properties = XLSXProperties(
      title: "\(book.book.title) \(book.schoolCode) \(book.academicYear) 學年度"
        + (book.term == 0 ? "（全學年）" : "第 \(book.term) 學期"),
      subject: "學習歷程中央資料庫 名冊別 \(book.book.rawValue)", author: "portfolio \(PortfolioVersion.current)",
      company: school?.schoolName ?? "", created: Int(generatedAt.timeIntervalSince1970))
    let workbook = try XLSXWorkbook(path: path, temporaryFolder: temporaryFolder, properties: properties)
    for sheet in book.sheets {
      let target = try workbook.addSheet(
        sheet.name, headers: sheet.headers, widths: RosterLayout.widths(headers: sheet.headers, rows: sheet.rows))
      try target.printOnA4LandscapeOnePageWide()
      for (index, row) in sheet.rows.enumerated() { try target.write(row: index + 1, row) }
    }
    try workbook.close()
  }

  var timeZone: TimeZone {
    validation.scan.timeZone  // parsed once, from school.json, by the scan (or the merge)
  }
}
