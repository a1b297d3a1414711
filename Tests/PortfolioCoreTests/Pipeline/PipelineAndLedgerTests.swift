import Foundation
import GRDB
import PortfolioCore
import TestSupport
import Testing

@Suite struct PipelineDefinitionTests {
  @Test func theShippedPipelinesParse() throws {
    for name in ["nightly", "presubmit", "transfer-export", "transfer-import"] {
      let definition = try PipelineDefinition.load(
        path: TestDrop.repository.appendingPathComponent("pipelines/\(name).yml").path)
      #expect(definition.name == name)
      #expect(!definition.stages.isEmpty)
    }
  }

  @Test(arguments: [
    ("name: x\ndrop: d\noutput: o\nstages:\n  - scan\n  - sing", "unknown stage \"sing\""),
    ("name: x\ndrop: d\noutput: o\nstages:\n  - validate:\n      jobz: 2", "unknown option \"jobz\""),
    (
      "name: x\ndrop: d\noutput: o\nstages:\n  - notices",
      "stage notices needs a validation: put a validate stage before it"
    ),
    // The rosters list the students of the central packages written before them, never ones
    // made up in memory: roster before package (or of another year) is a definition error.
    (
      "name: x\ndrop: d\noutput: o\nstages:\n  - validate\n  - roster:\n      year: 112\n  - package:\n      kind: central\n      year: 112",
      "stage roster needs the central packages of 112: put a package (kind: central, year: 112) stage before it"
    ),
    (
      "name: x\ndrop: d\noutput: o\nstages:\n  - validate\n  - package:\n      kind: central\n      year: 111\n  - roster:\n      year: 112",
      "stage roster needs the central packages of 112"
    ),
    ("name: x\ndrop: d\noutput: o\nstages:\n  - validate:\n      jobs: 0", "jobs must be 1–64"),
    ("name: x\ndrop: d\noutput: o\nstages:\n  - validate\n  - package:\n      kind: central", "needs year"),
    ("name: x\ndrop: d\noutput: o\nsteps: []\nstages:\n  - scan", "unknown key \"steps\""),
    ("name: x\noutput: o\nstages:\n  - scan", "\"drop\" is required"),
    ("name: x\ndrop: d\noutput: o\nstages: [", "not valid YAML"),
  ])
  func problemsAreFoundBeforeAnyWork(yaml: String, expected: String) {
    #expect {
      try PipelineDefinition.parse(yaml, source: "test.yml")
    } throws: { error in
      "\(error)".contains(expected)
    }
  }
}

/// A copy of the samples' drop directory that tests may change.
func copyOfSamples() throws -> String {
  let copy = FileManager.default.temporaryDirectory.appendingPathComponent("samples-\(UUID().uuidString)").path
  try FileManager.default.copyItem(atPath: TestDrop.samples, toPath: copy)
  return copy
}

/// A copy of the samples' drop and the output folder beside it (`remove` both when done).
func copyOfSamplesWithOutput() throws -> (drop: String, output: String) {
  let drop = try copyOfSamples()
  return (drop, drop + "-out")
}

/// Removes the folders a test made.
func removeFolders(_ folders: String...) {
  for folder in folders { try? FileManager.default.removeItem(atPath: folder) }
}

func nightly(drop: String, output: String) throws -> PipelineOutcome {
  let definition = PipelineDefinition(
    name: "nightly", drop: drop, output: output,
    stages: [
      .init(name: .scan, options: [:]), .init(name: .validate, options: ["jobs": "2"]),
      .init(name: .notices, options: [:]),
      .init(name: .report, options: [:]),
    ])
  return try PipelineRunner(
    definition: definition, date: Date(timeIntervalSince1970: 1_700_000_000), logger: .init(label: "test")
  )
  .run()
}

@Suite struct LedgerTests {
  @Test func aSecondRunOverAnUnchangedDropReadsNoFileAndSaysTheSame() throws {
    let (drop, output) = try copyOfSamplesWithOutput()
    defer { removeFolders(drop, output) }
    let first = try nightly(drop: drop, output: output)
    let report = try Data(contentsOf: URL(fileURLWithPath: output + "/report.json"))
    // Nothing changed at all: the whole run is skipped after a stat walk.
    let skipped = try nightly(drop: drop, output: output)
    #expect(first.filesRead == 27)
    #expect(skipped.validation == nil)
    #expect(skipped.status == first.status)
    #expect(skipped.lines.last == "unchanged since the last run: nothing read, outputs kept")
    // school.json is rewritten with the same content: the run happens, but no upload is read.
    let school = try Data(contentsOf: URL(fileURLWithPath: drop + "/school.json"))
    try FileManager.default.removeItem(atPath: drop + "/school.json")
    try school.write(to: URL(fileURLWithPath: drop + "/school.json"))
    let second = try nightly(drop: drop, output: output)
    #expect(second.filesRead == 0)
    #expect(try Data(contentsOf: URL(fileURLWithPath: output + "/report.json")) == report)
    #expect(try Ledger(path: output + "/ledger.sqlite").runCount() == 2)
  }

  @Test func aNewUploadEndsTheSkip() throws {
    let (drop, output) = try copyOfSamplesWithOutput()
    defer { removeFolders(drop, output) }
    _ = try nightly(drop: drop, output: output)
    let folder = drop + "/uploads/110001/mp-112-0002"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    try FileManager.default.copyItem(
      atPath: TestDrop.sniffFixture("image_heic--iphone-photo.heic"), toPath: folder + "/IMG_9.jpg")
    try Data(
      #"{"itemId":"mp-112-0002","kind":"multiple-performance","academicYear":112,"category":"works","title":"新作品","summary":"手機照片。","startDate":"2023-09-01","uploadedAt":"2023-10-01T10:00:00+08:00","files":[{"name":"IMG_9.jpg","role":"document"}],"selected":false}"#
        .utf8
    )
    .write(to: URL(fileURLWithPath: folder + "/item.json"))
    let second = try nightly(drop: drop, output: output)
    #expect(second.filesRead == 1)
    #expect(FileManager.default.fileExists(atPath: output + "/notices/110001.txt"))
  }

  @Test func aChangedFileIsReadAgain() throws {
    let (drop, output) = try copyOfSamplesWithOutput()
    defer { removeFolders(drop, output) }
    _ = try nightly(drop: drop, output: output)
    // Replace the EXIF photo with the PNG (same name): a different file version and content.
    let photo = drop + "/uploads/110001/co-112-1-0002/IMG_2041.JPG"
    try FileManager.default.removeItem(atPath: photo)
    try FileManager.default.copyItem(atPath: TestDrop.sniffFixture("image_png--diagram.png"), toPath: photo)
    let second = try nightly(drop: drop, output: output)
    #expect(second.filesRead == 1)
    let codes = try reportedFindings(output).filter { $0.file?.hasSuffix("IMG_2041.JPG") == true }.map(\.code)
    #expect(codes.contains(.extensionMismatch))
    // item.json of that outcome lists a certified hash: the change is also an integrity violation.
    #expect(codes.contains(.modifiedAfterCertification))
  }

  @Test func aCertifiedFileChangedWithoutACertifiedHashInItemJSON() throws {
    let (drop, output) = try copyOfSamplesWithOutput()
    defer { removeFolders(drop, output) }
    // Strip the certified hashes from item.json: only the ledger remembers what was certified.
    let itemPath = drop + "/uploads/110001/co-112-1-0001/item.json"
    var item =
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: itemPath))) as! [String: Any]
    var certification = item["certification"] as! [String: Any]
    certification.removeValue(forKey: "sha256")
    item["certification"] = certification
    try JSONSerialization.data(withJSONObject: item).write(to: URL(fileURLWithPath: itemPath))
    let first = try nightly(drop: drop, output: output)
    #expect(
      try !reportedFindings(output).contains { $0.code == .modifiedAfterCertification && $0.itemId == "co-112-1-0001" })
    // The student swaps the certified PDF for another PDF afterwards.
    let pdf = drop + "/uploads/110001/co-112-1-0001/雨量計報告.pdf"
    try FileManager.default.removeItem(atPath: pdf)
    try FileManager.default.copyItem(atPath: drop + "/uploads/110003/co-108-1-0002/報告.pdf", toPath: pdf)
    let second = try nightly(drop: drop, output: output)
    #expect(
      try reportedFindings(output).contains { $0.code == .modifiedAfterCertification && $0.itemId == "co-112-1-0001" })
  }

  @Test func aReUploadIdenticalToACertifiedFileIsRecognised() throws {
    let (drop, output) = try copyOfSamplesWithOutput()
    defer { removeFolders(drop, output) }
    _ = try nightly(drop: drop, output: output)
    // The platform lost the item (as in 2021); the student re-uploads the same photo as a new,
    // not yet certified item.
    let lost = drop + "/uploads/110001/co-112-1-0002"
    let photo = try Data(contentsOf: URL(fileURLWithPath: lost + "/IMG_2041.JPG"))
    try FileManager.default.removeItem(atPath: lost)
    let again = drop + "/uploads/110001/co-112-1-0009"
    try FileManager.default.createDirectory(atPath: again, withIntermediateDirectories: true)
    try photo.write(to: URL(fileURLWithPath: again + "/IMG_2041.JPG"))
    try Data(
      #"{"itemId":"co-112-1-0009","kind":"course-outcome","academicYear":112,"term":1,"courseCode":"112313302H1020101","title":"國語文：校園踏查攝影（重新上傳）","summary":"重傳。","uploadedAt":"2023-12-20T19:30:00+08:00","files":[{"name":"IMG_2041.JPG","role":"document"}],"certification":{"status":"pending"},"selected":false}"#
        .utf8
    )
    .write(to: URL(fileURLWithPath: again + "/item.json"))
    let second = try nightly(drop: drop, output: output)
    let match = try #require(try reportedFindings(output).first { $0.code == .identicalToCertified })
    #expect(match.itemId == "co-112-1-0009")
    #expect(match.details["certifiedItem"] == "co-112-1-0002")
    #expect(match.details["teacherId"] == "T0007")
    #expect(match.severity == .warning)
  }

  @Test func aStudentWhoFixedEverythingLosesLastNightsNotice() throws {
    let (drop, output) = try copyOfSamplesWithOutput()
    defer { removeFolders(drop, output) }
    _ = try nightly(drop: drop, output: output)
    #expect(FileManager.default.fileExists(atPath: output + "/notices/110003.txt"))
    // 110003 leaves the school: the roster no longer lists the student, their uploads go.
    try FileManager.default.removeItem(atPath: drop + "/uploads/110003")
    let students = try String(contentsOfFile: drop + "/students.csv", encoding: .utf8)
      .split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("110003,") }.joined(
        separator: "\n")
    try students.write(toFile: drop + "/students.csv", atomically: true, encoding: .utf8)
    _ = try nightly(drop: drop, output: output)
    #expect(!FileManager.default.fileExists(atPath: output + "/notices/110003.txt"))
    #expect(!FileManager.default.fileExists(atPath: output + "/notices/110003.html"))
    #expect(FileManager.default.fileExists(atPath: output + "/notices/110002.txt"))
  }

  @Test func theRowsOfAWithdrawnUploadLeaveTheLedgerAndTheOthersStayAsTheyWere() throws {
    let (drop, output) = try copyOfSamplesWithOutput()
    defer { removeFolders(drop, output) }
    _ = try nightly(drop: drop, output: output)
    let rows = { () throws -> [String: String] in
      let database = try DatabaseQueue(path: output + "/ledger.sqlite")
      return try database.read { db in
        try Row.fetchAll(db, sql: "SELECT path, identity, checkedAt FROM file").reduce(into: [:]) {
          $0[$1["path"]] = "\($1["identity"] as String) \($1["checkedAt"] as String)"
        }
      }
    }
    let before = try rows()
    #expect(before.count == 27)
    // One item withdrawn: its folder is gone.
    try FileManager.default.removeItem(atPath: drop + "/uploads/110002/mp-112-0002")
    let second = try nightly(drop: drop, output: output)
    #expect(second.filesRead == 0)
    let after = try rows()
    let gone = Set(before.keys).subtracting(after.keys)
    #expect(gone.count == before.count - after.count && !gone.isEmpty)
    #expect(gone.allSatisfy { $0.hasPrefix("uploads/110002/mp-112-0002/") })
    // The others are the same rows, untouched (their file and verdict did not change).
    #expect(after.allSatisfy { before[$0.key] == $0.value })
  }

  @Test func anotherProgramVersionsInspectionsAreNotTrusted() throws {
    let (drop, output) = try copyOfSamplesWithOutput()
    defer { removeFolders(drop, output) }
    _ = try nightly(drop: drop, output: output)
    let database = try DatabaseQueue(path: output + "/ledger.sqlite")
    // As if the ledger had been written by an older program (whose run fingerprint differs too).
    try database.write {
      try $0.execute(sql: "UPDATE file SET program = 'portfolio 0.0.1 inspection 1'")
      try $0.execute(sql: "UPDATE state SET value = 'portfolio 0.0.1' WHERE key = 'fingerprint'")
    }
    let second = try nightly(drop: drop, output: output)
    #expect(second.filesRead == 27)
  }

  @Test func aSecondRunOnTheSameOutputRefusesAtOnce() throws {
    let output = FileManager.default.temporaryDirectory.appendingPathComponent("locked-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: output) }
    let held = try OutputLock(folder: output)
    #expect {
      try nightly(drop: TestDrop.samples, output: output)
    } throws: { error in
      "\(error)".contains("another run is using")
    }
    withExtendedLifetime(held) {}
  }
}

/// The findings a run wrote into `output`/report.json (a nightly run validates in parts and
/// keeps no whole validation: its report is its answer).
func reportedFindings(_ output: String) throws -> [Finding] {
  try JSONDecoder().decode(ValidationReport.self, from: Data(contentsOf: URL(fileURLWithPath: output + "/report.json")))
    .findings
}
