import Foundation
import PortfolioCore
import TestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The findings as "code path" lines, sorted, for exact comparison.
func codes(_ scan: DropScan) -> [String] {
  scan.findings.map { "\($0.code.rawValue) \($0.file ?? "")" }.sorted()
}

@Suite struct DropScannerTests {
  @Test func samplesInventoryAndFindings() throws {
    let scan = try DropScanner().scan(TestDrop.samples)
    let inventory = Inventory(scan)
    #expect(inventory.studentsInRoster == 4)
    #expect(inventory.studentsWithItems == 4)
    #expect(inventory.items == 26)
    #expect(inventory.itemsByKind == ["course-outcome": 14, "multiple-performance": 10, "consultation": 1])
    #expect(inventory.itemsUnusable == 1)
    #expect(inventory.itemsStillUploading == 1)
    #expect(inventory.files == 27)
    #expect(scan.pendingItems == ["uploads/110002/mp-112-0010"])
    #expect(
      codes(scan)
        == [
          "bad-metadata uploads/110002/mp-112-0008/item.json",
          "unlisted-file uploads/110002/mp-112-0009/備份.jpg",
          "missing-file uploads/110002/mp-112-0009/頒獎.jpg",
          "unknown-student uploads/119999",
        ].sorted())
    for finding in scan.findings {
      #expect(!finding.messageZH.isEmpty && !finding.messageEN.isEmpty)
    }
  }

  @Test func hostileEntriesAreReportedOnceEachAndNeverOpened() throws {
    let drop = try TestDrop()
    defer { drop.remove() }
    let folder = drop.root + "/uploads/110001/mp-112-0001"
    try drop.copyFixture("application_pdf--report.pdf", to: "uploads/110001/mp-112-0001/ok.pdf")
    try FileManager.default.createSymbolicLink(atPath: folder + "/evil.pdf", withDestinationPath: "/etc/passwd")
    #expect(mkfifo(folder + "/pipe.pdf", 0o644) == 0)
    try FileManager.default.createDirectory(atPath: folder + "/x.pdf", withIntermediateDirectories: false)
    let badName = Array(folder.utf8) + Array("/bad".utf8) + [0xFF] + Array(".pdf".utf8) + [0]
    let fd = badName.withUnsafeBufferPointer {
      $0.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_CREAT | O_WRONLY, 0o644) }
    }
    #expect(fd >= 0)
    close(fd)
    try drop.item("110001", "mp-112-0001", files: ["ok.pdf", "evil.pdf", "pipe.pdf", "x.pdf"])
    let before = drop.fingerprint()

    let scan = try DropScanner().scan(drop.root)

    #expect(
      codes(scan)
        == [
          "not-a-regular-file uploads/110001/mp-112-0001/evil.pdf",
          "not-a-regular-file uploads/110001/mp-112-0001/pipe.pdf",
          "not-a-regular-file uploads/110001/mp-112-0001/x.pdf",
          "invalid-text uploads/110001/mp-112-0001/bad\\xFF.pdf",
        ].sorted())
    #expect(scan.items.first?.files.map(\.name) == ["ok.pdf"])
    #expect(drop.fingerprint() == before)
    #expect(scan.findings.filter { $0.code == .notARegularFile }.allSatisfy { $0.evidence.source == "lstat" })
    let kinds = scan.findings.compactMap { $0.details["entryKind"] }
    #expect(kinds.sorted() == ["FIFO (named pipe)", "folder", "symbolic link"])
  }

  @Test func unlistedHostileEntriesAreStillReported() throws {
    let drop = try TestDrop()
    defer { drop.remove() }
    let folder = drop.root + "/uploads/110001/mp-112-0001"
    try drop.copyFixture("application_pdf--report.pdf", to: "uploads/110001/mp-112-0001/ok.pdf")
    try drop.item("110001", "mp-112-0001", files: ["ok.pdf"])
    #expect(mkfifo(folder + "/stray.fifo", 0o644) == 0)
    try FileManager.default.createSymbolicLink(atPath: drop.root + "/uploads/110002", withDestinationPath: "/etc")
    let scan = try DropScanner().scan(drop.root)
    #expect(
      codes(scan)
        == [
          "not-a-regular-file uploads/110001/mp-112-0001/stray.fifo",
          "not-a-regular-file uploads/110002",
        ].sorted())
  }

  @Test func anItemFolderWithoutItemJSONIsStillUploading() throws {
    let drop = try TestDrop()
    defer { drop.remove() }
    try drop.copyFixture("image_png--diagram.png", to: "uploads/110001/mp-112-0002/part.png")
    let scan = try DropScanner().scan(drop.root)
    #expect(scan.findings.isEmpty)
    #expect(scan.items.isEmpty)
    #expect(scan.pendingItems == ["uploads/110001/mp-112-0002"])
  }

  @Test(arguments: [
    (#"{"itemId":"mp-1","kind":"multiple-performance","academicYear":112,"files":[]}"#, "category"),
    (#"{"itemId":"mp-1","kind":"photo","academicYear":112,"files":[]}"#, "kind"),
    (#"{"itemId":"mp-1","kind":"course-outcome","academicYear":"百十二","files":[]}"#, "academicYear"),
    (#"{"kind":"consultation","academicYear":112,"term":1,"files":[]}"#, "itemId"),
    (
      #"{"itemId":"other","kind":"consultation","academicYear":112,"term":1,"files":[{"name":"a.pdf","role":"document"}]}"#,
      "itemId"
    ),
    (
      #"{"itemId":"mp-1","kind":"consultation","academicYear":112,"term":1,"files":[{"name":"../../../etc/passwd","role":"document"}]}"#,
      "files"
    ),
    (
      #"{"itemId":"mp-1","kind":"consultation","academicYear":112,"term":1,"files":[{"name":"a.pdf","role":"poster"}]}"#,
      "files[0].role"
    ),
    (#"{"itemId":"mp-1","#, "JSON"),
  ])
  func badItemJSONNamesTheField(json: String, field: String) throws {
    let drop = try TestDrop()
    defer { drop.remove() }
    try drop.copyFixture("application_pdf--report.pdf", to: "uploads/110001/mp-1/a.pdf")
    try drop.write("uploads/110001/mp-1/item.json", json)
    let scan = try DropScanner().scan(drop.root)
    let finding = try #require(scan.findings.first { $0.code == .badMetadata })
    #expect(finding.details["field"] == field, "\(finding.messageEN)")
    #expect(finding.itemId == "mp-1" && finding.studentNumber == "110001")
    #expect(scan.items.first?.manifest == nil)
  }

  @Test func itemJSONThatIsASymlinkIsNeverRead() throws {
    let drop = try TestDrop()
    defer { drop.remove() }
    try FileManager.default.createDirectory(
      atPath: drop.root + "/uploads/110001/mp-1", withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(
      atPath: drop.root + "/uploads/110001/mp-1/item.json", withDestinationPath: "/etc/passwd")
    let scan = try DropScanner().scan(drop.root)
    #expect(codes(scan) == ["not-a-regular-file uploads/110001/mp-1/item.json"])
  }

  @Test func badFolderNamesAreReportedAndNotEntered() throws {
    let drop = try TestDrop()
    defer { drop.remove() }
    try drop.write("uploads/學生甲/mp-1/item.json", "{}")
    try drop.write("uploads/110001/作品 1/item.json", "{}")
    try drop.write("uploads/readme.txt", "hello")
    let scan = try DropScanner().scan(drop.root)
    #expect(
      codes(scan)
        == [
          "bad-metadata uploads/110001/作品 1",
          "bad-metadata uploads/readme.txt",
          "bad-metadata uploads/學生甲",
        ].sorted())
  }

  @Test func decomposedNamesOnDiskMatchComposedNamesInItemJSON() throws {
    let drop = try TestDrop()
    defer { drop.remove() }
    let decomposed = "Cafe\u{301}.pdf"  // as a Mac uploads it
    try drop.copyFixture("application_pdf--report.pdf", to: "uploads/110001/mp-1/\(decomposed)")
    try drop.item("110001", "mp-1", files: ["Caf\u{E9}.pdf"])
    let scan = try DropScanner().scan(drop.root)
    #expect(scan.findings.isEmpty)
    #expect(scan.items.first?.files.count == 1)
  }

  @Test func missingDropIsAnEnvironmentError() {
    #expect(throws: EnvironmentError.self) { try DropScanner().scan("/nonexistent/drop") }
    do {
      _ = try DropScanner().scan("/nonexistent/drop")
    } catch {
      #expect(error.code == .dropNotFound)
      #expect(error.english == "the drop directory does not exist")
    }
  }
}

@Suite struct CSVTests {
  @Test func bomReorderedAndExtraColumnsAreFine() throws {
    let drop = try TestDrop(
      students:
        "\u{FEFF}name,enrollmentYear,extra,studentNumber,birthDate,idNumber\r\n林\u{2000B}華,112,x,110001,0960821,F231245608\r\n"
    )
    defer { drop.remove() }
    let scan = try DropScanner().scan(drop.root)
    #expect(scan.findings.isEmpty)
    let student = try #require(scan.roster.students["110001"])
    #expect(student.name.unicodeScalars.contains("\u{2000B}"))
    #expect(student.birthDate == "2007-08-21")
  }

  @Test func aMissingColumnStopsTheRunNamingTheFileAndTheColumn() throws {
    let drop = try TestDrop(students: "studentNumber,idNumber,name,birthDate\n110001,A123456789,王小明,2007-05-14\n")
    defer { drop.remove() }
    try drop.item("110001", "mp-1", files: [])
    let error = try #require(throws: EnvironmentError.self) { try DropScanner().scan(drop.root) }
    #expect(error.code == .tableMalformed)
    #expect(error.path == drop.root + "/students.csv" && error.line == 1)
    #expect(
      error.english
        == "students.csv cannot be used: the header has no column enrollmentYear (required; columns found: studentNumber, idNumber, name, birthDate)"
    )
  }

  @Test func badRowsAreReportedByRowNumber() throws {
    let drop = try TestDrop(
      students:
        "studentNumber,idNumber,name,birthDate,enrollmentYear\n110001,A123456789,王小明,2007-05-14,112\n../x,A1,壞,2007-01-01,112\n110002,A123456789,李,2007-02-30,112\n110001,B1,重複,2007-01-01,112\n"
    )
    defer { drop.remove() }
    let scan = try DropScanner().scan(drop.root)
    let rows = scan.findings.filter { $0.file == "students.csv" }.compactMap { $0.details["row"] }
    #expect(rows.sorted() == ["3", "4", "5"])
    #expect(scan.roster.students.keys.sorted() == ["110001"])
  }

  @Test func aBig5TableStopsTheRunNamingTheEncodingAndTheLine() throws {
    let drop = try TestDrop()
    defer { drop.remove() }
    // The header in ASCII, then a row whose name 王小明 is Big5 (A4 FD A4 70 A9 FA).
    let header = Array("studentNumber,idNumber,name,birthDate,enrollmentYear\n110001,A123456789,".utf8)
    try drop.write(
      "students.csv", Data(header + [0xA4, 0xFD, 0xA4, 0x70, 0xA9, 0xFA] + Array(",2007-05-14,112\n".utf8)))
    let error = try #require(throws: EnvironmentError.self) { try DropScanner().scan(drop.root) }
    #expect(error.code == .tableEncoding && error.line == 2)
    #expect(error.english == "students.csv cannot be read: it is saved as Big5, not UTF-8")
  }

  @Test(arguments: [
    ("studentNumber,idNumber,name,birthDate,enrollmentYear\n", "students.csv has a header but no student rows"),
    (
      "studentNumber,idNumber,name,birthDate,enrollmentYear\n110001,A123456789,王小明,14.5.2007,112\n",
      "none of the 1 rows of students.csv can be used (the first: students.csv row 2: birthDate \"##.#.####\" is not a date (2007-05-14, 2007/5/14 or 0960514); the row was skipped.)"
    ),
  ])
  func aStudentListWithoutAStudentStopsTheRun(students: String, english: String) throws {
    let drop = try TestDrop(students: students)
    defer { drop.remove() }
    let error = try #require(throws: EnvironmentError.self) { try DropScanner().scan(drop.root) }
    #expect(error.code == .noStudents)
    #expect(error.english == english)
  }
}

/// A socket named like an upload is reported by its kind (decided with lstat, never opened).
@Suite struct SocketEntryTests {
  @Test func aSocketListedAsAFileIsNotARegularFile() throws {
    let drop = try TestDrop()
    defer { drop.remove() }
    try drop.item("110001", "mp-1", files: ["sock.pdf"])
    let path = drop.root + "/uploads/110001/mp-1/sock.pdf"
    let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
    #expect(fd >= 0)
    defer { close(fd) }
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    withUnsafeMutableBytes(of: &address.sun_path) { raw in
      for (index, byte) in path.utf8.prefix(raw.count - 1).enumerated() { raw[index] = byte }
    }
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
    }
    #expect(bound == 0)
    let scan = try DropScanner().scan(drop.root)
    let finding = try #require(scan.findings.first { $0.file?.hasSuffix("sock.pdf") == true })
    #expect(finding.code == .notARegularFile && finding.details["entryKind"] == "socket")
  }
}

@Suite struct StrictItemJSONTests {
  /// What Foundation's decoder would read as one item, and the scanner refuses, naming why.
  @Test(arguments: [
    (#","academicYear":113}"#, "academicYear", "appears twice"),
    (",}", "JSON", "trailing comma"),
    (#","summary":"\udead"}"#, "JSON", "lone surrogate"),
  ])
  func itemJSONIsStrict(ending: String, field: String, words: String) throws {
    let drop = try TestDrop()
    defer { drop.remove() }
    try drop.copyFixture("application_pdf--report.pdf", to: "uploads/110001/mp-1/a.pdf")
    let start =
      #"{"itemId":"mp-1","kind":"multiple-performance","academicYear":112,"category":"works","title":"作品","startDate":"2023-09-01","uploadedAt":"2023-10-01T10:00:00+08:00","files":[{"name":"a.pdf","role":"document"}]"#
    try drop.write("uploads/110001/mp-1/item.json", start + ending)
    let scan = try DropScanner().scan(drop.root)
    let finding = try #require(scan.findings.first { $0.code == .badMetadata })
    #expect(finding.details["field"] == field, "\(finding.messageEN)")
    #expect(finding.messageEN.contains(words), "\(finding.messageEN)")
    #expect(scan.items.first?.manifest == nil)
  }

  @Test func aUTF16ItemJSONIsNamedAsSuch() throws {
    let drop = try TestDrop()
    defer { drop.remove() }
    try drop.item("110001", "mp-1", files: ["a.pdf"])
    try drop.copyFixture("application_pdf--report.pdf", to: "uploads/110001/mp-1/a.pdf")
    let path = drop.root + "/uploads/110001/mp-1/item.json"
    let text = try String(contentsOfFile: path, encoding: .utf8)
    try drop.write("uploads/110001/mp-1/item.json", try #require(text.data(using: .utf16)))
    let scan = try DropScanner().scan(drop.root)
    let finding = try #require(scan.findings.first { $0.code == .badMetadata })
    #expect(finding.messageEN.contains("saved as UTF-16, not UTF-8"), "\(finding.messageEN)")
  }
}
