import Foundation
import PortfolioCore
import TestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

@Suite struct CLITests {
  @Test func helpListsEveryCommandOfThePipeline() throws {
    let outcome = try CLI.run(["--help"])
    #expect(outcome.status == 0)
    for command in ["scan", "validate", "package", "check", "export", "import", "notices", "run"] {
      #expect(outcome.stdout.contains("  \(command) "), "--help does not list \(command)")
    }
  }

  @Test func scanSamplesAsJSON() throws {
    let outcome = try CLI.run(["scan", CLI.repository.appendingPathComponent("samples/drop").path, "--json"])
    #expect(outcome.status == 1)  // the samples hold rejected items on purpose
    let report = try JSONDecoder().decode(ScanReport.self, from: Data(outcome.stdout.utf8))
    #expect(report.schoolCode == "313302")
    #expect(report.inventory.items == 26)
    #expect(report.inventory.findingsByCode["unknown-student"] == 1)
    #expect(report.findings.allSatisfy { !$0.messageZH.isEmpty && !$0.messageEN.isEmpty })
    // No ID number of the samples appears anywhere in the output.
    for id in ["A123456789", "F231245608", "B120000008", "A123456788"] {
      #expect(!outcome.stdout.contains(id))
    }
  }

  @Test func scanSamplesAsATable() throws {
    let outcome = try CLI.run(["scan", CLI.repository.appendingPathComponent("samples/drop").path])
    #expect(outcome.status == 1)
    #expect(outcome.stdout.contains("Items (complete)"))
    #expect(outcome.stdout.contains("missing-file"))
    #expect(outcome.stdout.contains("頒獎.jpg"))
  }

  @Test func aMissingDropIsAUsageError() throws {
    let outcome = try CLI.run(["scan", "/nonexistent/drop"])
    #expect(outcome.status == 64)
    #expect(outcome.stderr.contains("/nonexistent/drop"))
  }

  @Test func noticesCommandWritesOneNoticePerStudentWithFindings() throws {
    let out = FileManager.default.temporaryDirectory.appendingPathComponent("notices-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: out) }
    let outcome = try run(["notices", "samples/drop", "--out", out])
    #expect(outcome.status == 1, "the samples hold rejected files: \(outcome.stderr)")
    // Besides the notices, only the stage's own hidden list of what it wrote.
    let names = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
    #expect(
      names.filter { !$0.hasPrefix(".") } == [
        "110002.html", "110002.txt", "110003.html", "110003.txt", "110004.html", "110004.txt",
      ])
    #expect(names.filter { $0.hasPrefix(".") } == [".lock", ".notices-written"])
  }

  func run(_ arguments: [String]) throws -> CLI.Outcome { try CLI.run(arguments, in: CLI.repository.path) }

  /// The issue's acceptance case: a symlink to /etc/passwd named evil.pdf, a FIFO named
  /// pipe.pdf, a folder named x.pdf, an unreadable file and an invalid UTF-8 name, scanned to
  /// the end with one finding each. Runs as an unprivileged user so "unreadable" is real even
  /// when the tests run as root.
  @Test func hostileDropIsScannedToTheEndWithOneFindingEach() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: root) }
    let folder = root + "/uploads/110001/mp-112-0001"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    try Data(#"{"schoolCode":"313302","schoolType":"general"}"#.utf8).write(
      to: URL(fileURLWithPath: root + "/school.json"))
    try Data("studentNumber,idNumber,name,birthDate,enrollmentYear\n110001,A123456789,王小明,2007-05-14,112\n".utf8)
      .write(to: URL(fileURLWithPath: root + "/students.csv"))
    try Data("studentNumber,academicYear,term,courseCode,courseName,credits,score,passed,teacherIds\n".utf8)
      .write(to: URL(fileURLWithPath: root + "/courses.csv"))
    try FileManager.default.createSymbolicLink(atPath: folder + "/evil.pdf", withDestinationPath: "/etc/passwd")
    #expect(mkfifo(folder + "/pipe.pdf", 0o644) == 0)
    try FileManager.default.createDirectory(atPath: folder + "/x.pdf", withIntermediateDirectories: false)
    try Data("%PDF-1.4 secret".utf8).write(to: URL(fileURLWithPath: folder + "/locked.pdf"))
    #expect(chmod(folder + "/locked.pdf", 0) == 0)
    let badName = Array(folder.utf8) + Array("/bad".utf8) + [0xFF] + Array(".pdf".utf8) + [0]
    let fd = badName.withUnsafeBufferPointer {
      $0.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_CREAT | O_WRONLY, 0o644) }
    }
    close(fd)
    let names = ["evil.pdf", "pipe.pdf", "x.pdf", "locked.pdf"].map { #"{"name":"\#($0)","role":"document"}"# }
    try Data(
      #"{"itemId":"mp-112-0001","kind":"multiple-performance","academicYear":112,"category":"works","startDate":"2023-09-01","files":[\#(names.joined(separator: ","))]}"#
        .utf8
    ).write(to: URL(fileURLWithPath: folder + "/item.json"))
    // Let the unprivileged user reach everything but the locked file.
    for path in [root, root + "/uploads", root + "/uploads/110001", folder] { chmod(path, 0o755) }

    let outcome = try CLI.run(["scan", root, "--json"], asUser: getuid() == 0 ? 65534 : nil)
    #expect(outcome.status == 1, "\(outcome.stderr)")
    let report = try JSONDecoder().decode(ScanReport.self, from: Data(outcome.stdout.utf8))
    let found = report.findings.map { "\($0.code.rawValue) \($0.file ?? "")" }.sorted()
    #expect(
      found == [
        "invalid-text uploads/110001/mp-112-0001/bad\\xFF.pdf",
        "not-a-regular-file uploads/110001/mp-112-0001/evil.pdf",
        "not-a-regular-file uploads/110001/mp-112-0001/pipe.pdf",
        "not-a-regular-file uploads/110001/mp-112-0001/x.pdf",
        "unreadable uploads/110001/mp-112-0001/locked.pdf",
      ])
    #expect(!outcome.stdout.contains("root:"))
    print("hostile drop scanned in \(String(format: "%.3f", outcome.seconds)) s")
  }
}
