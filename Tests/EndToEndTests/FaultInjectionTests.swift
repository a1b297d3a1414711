import Foundation
import PortfolioCore
import TestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// What a school can leave alone in deadline week: bad records, full disks, read-only folders
/// and killed runs each end with the documented outcome and nothing lost.
@Suite(.serialized) struct FaultInjectionTests {
  /// A copy of the samples readable by everyone (for runs as another user).
  func samplesCopy() throws -> String {
    let copy = FileManager.default.temporaryDirectory.appendingPathComponent("faults-\(UUID().uuidString)").path
    try FileManager.default.copyItem(atPath: CLI.repository.appendingPathComponent("samples/drop").path, toPath: copy)
    return copy
  }

  /// Every *.zip and receipt in `folder` with its bytes.
  func packages(_ folder: String) -> [String: Data] {
    var found: [String: Data] = [:]
    for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] {
      found[name] = FileManager.default.contents(atPath: folder + "/" + name)
    }
    return found
  }

  /// Nine students, three of whom have every kind of bad record the XSD would refuse.
  func schoolWithBadRecords() throws -> String {
    let drop = try TestDrop(students: "studentNumber,idNumber,name,birthDate,enrollmentYear,idType\n")
    var students = "studentNumber,idNumber,name,birthDate,enrollmentYear,idType\n"
    for number in 1...9 {
      let name = number == 7 ? String(repeating: "長", count: 41) : "學生\(number)"
      let type = number == 9 ? "passport" : "national-id"
      students += "11000\(number),A123456789,\(name),2007-05-14,112,\(type)\n"
      var extra = ""
      if number == 8 {
        extra =
          #","externalLink":"https://example.org/\#(String(repeating: "a", count: 490))","details":{"hours":-1}"#
      }
      try drop.copyFixture("image_png--diagram.png", to: "uploads/11000\(number)/mp-1/a.png")
      try drop.write(
        "uploads/11000\(number)/mp-1/item.json",
        #"{"itemId":"mp-1","kind":"multiple-performance","academicYear":112,"category":"works","title":"作品","summary":"摘要","startDate":"2023-09-01","uploadedAt":"2023-10-01T10:00:00+08:00","selected":true,"files":[{"name":"a.png","role":"document"}]\#(extra)}"#
      )
    }
    try drop.write("students.csv", students)
    // And one item of a good student with an academic year written as a Gregorian year.
    try drop.copyFixture("image_png--diagram.png", to: "uploads/110001/mp-2/a.png")
    try drop.write(
      "uploads/110001/mp-2/item.json",
      #"{"itemId":"mp-2","kind":"multiple-performance","academicYear":2023,"category":"works","title":"作品","summary":"摘要","startDate":"2023-09-01","uploadedAt":"2023-10-01T10:00:00+08:00","selected":true,"files":[{"name":"a.png","role":"document"}]}"#
    )
    return drop.root
  }

  @Test func aThirdOfTheStudentsWithBadRecordsStillLetsEveryOtherStudentBePackaged() throws {
    let drop = try schoolWithBadRecords()
    let out = drop + "-out"
    defer { for path in [drop, out] { try? FileManager.default.removeItem(atPath: path) } }
    let outcome = try CLI.run(["package", drop, "--kind", "central", "--year", "112", "--out", out])
    #expect(outcome.status == 1, "\(outcome.stdout)\(outcome.stderr)")
    #expect(!outcome.stdout.contains("BUG") && !outcome.stderr.contains("BUG"))
    // 110008's one item is rejected: nothing left to submit for 112, so no package.
    #expect(outcome.stdout.contains("  no accepted item selected for 112, no package: 110008\n"), "\(outcome.stdout)")
    for number in [1, 2, 3, 4, 5, 6] {
      let zip = out + "/packages/313302_112_central_11000\(number).zip"
      #expect(FileManager.default.fileExists(atPath: zip), "no package for 11000\(number): \(outcome.stdout)")
      #expect(try CLI.run(["check", zip]).status == 0)
    }
    for number in [7, 9] {
      #expect(!FileManager.default.fileExists(atPath: out + "/packages/313302_112_central_11000\(number).zip"))
      #expect(outcome.stdout.contains("REFUSED student 11000\(number)"))
    }
    let report = try CLI.run(["validate", drop, "--out", out + "/v"])
    let json = try String(contentsOfFile: out + "/v/report.json", encoding: .utf8)
    #expect(report.status == 1)
    for field in ["externalLink", "details.hours", "academicYear", "name", "idType"] {
      #expect(json.contains("\"field\" : \"\(field)\""), "no bad-metadata for \(field)")
    }
  }

  @Test func aFullDiskStopsWithExit64AndLeavesLastNightsPackagesIntact() throws {
    let drop = try samplesCopy()
    let out = drop + "-out"
    defer { for path in [drop, out] { try? FileManager.default.removeItem(atPath: path) } }
    let first = try CLI.run(
      ["package", drop, "--kind", "central", "--year", "112", "--out", out],
      environment: ["SOURCE_DATE_EPOCH": "1700000000"])
    #expect(first.status == 1)  // 110004's ID number is refused in the samples
    let before = packages(out + "/packages")
    #expect(before.count >= 3)
    // The same run with room for only 20 kB per file (RLIMIT_FSIZE, as a nearly full disk).
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/prlimit")
    process.arguments = [
      "--fsize=20000", CLI.binary.path, "package", drop, "--kind", "transfer", "--out", out,
    ]
    let err = Pipe()
    process.standardError = err
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationReason == .exit && process.terminationStatus == 64, "\(stderr)")
    #expect(stderr.contains("cannot write") && stderr.contains("ulimit -f"), "\(stderr)")
    // Nothing half-written under a final name, and no temporary left behind.
    #expect(packages(out + "/packages") == before)
  }

  @Test func aReadOnlyOutputFolderStopsWithExit64() throws {
    let drop = try samplesCopy()
    let out = drop + "-readonly"
    defer { for path in [drop, out] { try? FileManager.default.removeItem(atPath: path) } }
    try FileManager.default.createDirectory(atPath: out + "/packages", withIntermediateDirectories: true)
    chmod(drop, 0o755)
    let outcome = try CLI.run(["package", drop, "--kind", "transfer", "--out", out], asUser: 65534)
    #expect(outcome.status == 64, "\(outcome.stdout)\(outcome.stderr)")
    #expect(outcome.stderr.contains(out) && outcome.stderr.contains("writable"), "\(outcome.stderr)")
    #expect(packages(out + "/packages").isEmpty)
  }

  @Test func noticesNeverRemoveFilesTheyDidNotWrite() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("desk-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: folder) }
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    for name in ["keep.txt", "110001.txt", "todo.html"] {
      try Data("mine".utf8).write(to: URL(fileURLWithPath: folder + "/" + name))
    }
    for _ in 0..<2 {
      let outcome = try CLI.run(["notices", "samples/drop", "--out", folder], in: CLI.repository.path)
      #expect(outcome.status == 1, "the samples hold rejected files: \(outcome.stderr)")
    }
    for name in ["keep.txt", "110001.txt", "todo.html"] {
      #expect(FileManager.default.contents(atPath: folder + "/" + name) == Data("mine".utf8), "\(name) was touched")
    }
  }

  /// Killed at random moments, `package` never leaves a half-written package under a final
  /// name, and the next run gives exactly the packages of an uninterrupted run.
  @Test func packageKilledAtRandomMomentsThenRerunGivesTheSamePackages() throws {
    let drop = try samplesCopy()
    defer { try? FileManager.default.removeItem(atPath: drop) }
    let epoch = ["SOURCE_DATE_EPOCH": "1700000000"]
    let clean = drop + "-clean"
    defer { try? FileManager.default.removeItem(atPath: clean) }
    let reference = try CLI.run(["package", drop, "--kind", "transfer", "--out", clean], environment: epoch)
    let expected = packages(clean + "/packages")
    #expect(expected.count == 3)
    var random = SystemRandomNumberGenerator()
    for attempt in 0..<8 {
      let out = drop + "-killed-\(attempt)"
      defer { try? FileManager.default.removeItem(atPath: out) }
      let delay = Double.random(in: 0...max(reference.seconds, 0.1), using: &random)
      try killed(["package", drop, "--kind", "transfer", "--out", out], after: delay, environment: epoch)
      for (name, bytes) in packages(out + "/packages") where !name.hasPrefix(".") {
        #expect(expected[name] == bytes, "attempt \(attempt): \(name) is not a complete package")
      }
      let rerun = try CLI.run(["package", drop, "--kind", "transfer", "--out", out], environment: epoch)
      #expect(packages(out + "/packages") == expected, "attempt \(attempt): \(rerun.stdout)\(rerun.stderr)")
    }
  }

  /// Killed at random moments, `import` never leaves a partial item.json, and the next import
  /// finishes with exactly the drop of an uninterrupted import (its temporaries cleaned).
  @Test func importKilledAtRandomMomentsThenRerunGivesTheSameDrop() throws {
    let (folder, package) = try exportedPackage()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let clean = try ReceivingDrop()
    defer { clean.remove() }
    let epoch = ["SOURCE_DATE_EPOCH": "1700000000"]
    let reference = try CLI.run(
      ["import", package, "--into", clean.root, "--from-school", "313302"], environment: epoch)
    #expect(reference.status == 0)
    let expected = contentsOnly(clean.root)
    var random = SystemRandomNumberGenerator()
    for attempt in 0..<8 {
      let school = try ReceivingDrop()
      defer { school.remove() }
      let delay = Double.random(in: 0...max(reference.seconds, 0.1), using: &random)
      try killed(
        ["import", package, "--into", school.root, "--from-school", "313302"], after: delay, environment: epoch)
      for (path, bytes) in contentsOnly(school.root) where path.hasSuffix("/item.json") {
        #expect(expected[path] == bytes, "attempt \(attempt): \(path) is partial")
      }
      let again = try CLI.run(
        ["import", package, "--into", school.root, "--from-school", "313302"], environment: epoch)
      #expect(again.status == 0, "attempt \(attempt): \(again.stdout)")
      #expect(contentsOnly(school.root) == expected, "attempt \(attempt)")
    }
  }

  /// Every regular file under `root` by relative path (no timestamps: an import rewrites none).
  func contentsOnly(_ root: String) -> [String: Data] {
    var listing: [String: Data] = [:]
    let enumerator = FileManager.default.enumerator(atPath: root)
    while let path = enumerator?.nextObject() as? String {
      var info = stat()
      guard lstat(root + "/" + path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { continue }
      listing[path] = FileManager.default.contents(atPath: root + "/" + path)
    }
    return listing
  }

  /// Runs `portfolio` and kills it with SIGKILL after `delay` seconds (if still running).
  func killed(_ arguments: [String], after delay: Double, environment: [String: String] = [:]) throws {
    let process = Process()
    process.executableURL = CLI.binary
    process.arguments = arguments
    process.currentDirectoryURL = CLI.repository
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    usleep(useconds_t(delay * 1_000_000))
    if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    process.waitUntilExit()
  }
}
