import Foundation
import PortfolioCore
import TestSupport
import Testing

/// A receiving school's drop directory (school 313303) that knows the transfer student.
struct ReceivingDrop {
  let root: String

  init(idNumber: String = "A123456789", number: String = "110001", birthDate: String = "2007-05-14") throws {
    root = FileManager.default.temporaryDirectory.appendingPathComponent("school-b-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: root + "/uploads", withIntermediateDirectories: true)
    try Data(
      #"{"schoolCode":"313303","schoolName":"新竹市立範例高中","schoolType":"general","windows":[{"academicYear":112,"term":1,"kind":"course-outcome","opens":"2024-02-01T00:00:00+08:00","closes":"2024-06-30T23:59:59+08:00"}]}"#
        .utf8
    )
    .write(to: URL(fileURLWithPath: root + "/school.json"))
    try Data(
      "studentNumber,idNumber,name,birthDate,enrollmentYear\n\(number),\(idNumber),王小明,\(birthDate),112\n".utf8
    )
    .write(to: URL(fileURLWithPath: root + "/students.csv"))
    try Data(
      "studentNumber,academicYear,term,courseCode,courseName,credits,score,passed,teacherIds\n\(number),112,2,112313303H1010201,數學,4,80,true,T9001\n"
        .utf8
    )
    .write(to: URL(fileURLWithPath: root + "/courses.csv"))
  }

  func remove() { try? FileManager.default.removeItem(atPath: root) }
}

/// The samples' student 110001 exported as a transfer package (made once per test).
func exportedPackage() throws -> (folder: String, path: String) {
  let folder = FileManager.default.temporaryDirectory.appendingPathComponent("export-\(UUID().uuidString)").path
  let outcome = try CLI.run(
    ["export", "samples/drop", "--student", "110001", "--out", folder], in: CLI.repository.path,
    environment: ["SOURCE_DATE_EPOCH": "1700000000"])
  #expect(outcome.status == 0, "\(outcome.stdout)\(outcome.stderr)")
  return (folder, folder + "/packages/313302_transfer_110001.zip")
}

@Suite(.serialized) struct TransferTests {
  @Test func exportAtAImportAtBThenBsCentralPackageHoldsAsItems() throws {
    let (folder, package) = try exportedPackage()
    let school = try ReceivingDrop()
    defer {
      try? FileManager.default.removeItem(atPath: folder)
      school.remove()
    }

    let imported = try CLI.run(["import", package, "--into", school.root, "--from-school", "313302"])
    #expect(imported.status == 0, "\(imported.stdout)")
    #expect(imported.stdout.contains("imported 4 items"))

    let out = school.root + "-out"
    defer { try? FileManager.default.removeItem(atPath: out) }
    let validated = try CLI.run(["validate", school.root, "--out", out + "/report"])
    #expect(validated.status == 0, "B's validation of imported items: \(validated.stdout)")
    let made = try CLI.run(
      ["package", school.root, "--kind", "central", "--year", "112", "--out", out],
      environment: ["SOURCE_DATE_EPOCH": "1700000000"])
    #expect(made.status == 0, "\(made.stdout)")
    let central = out + "/packages/313303_112_central_110001.zip"
    #expect(try CLI.run(["check", central]).status == 0)

    let manifest = try unzipManifest(central)
    // A's hashes, certification (certifier and time) and time points survive the move.
    #expect(manifest.contains(#"sha256="a6e70f24bea696da7f6fee91e9ae489c82f0e82100082029a89154932ac5c727""#))
    #expect(manifest.contains(#"<certification status="passed" teacherId="T0042" at="2023-11-10T09:00:00+08:00"/>"#))
    #expect(manifest.contains("<uploadedAt>2023-11-02T21:14:05+08:00</uploadedAt>"))
    #expect(manifest.contains(#"<course academicYear="112" term="1" code="112313302H1010101">"#))
    #expect(manifest.contains("<schoolCode>313303</schoolCode>"))
    // The consultation record moved too, but never into a central package.
    #expect(FileManager.default.fileExists(atPath: school.root + "/uploads/110001/cs-112-1-0001/item.json"))
    #expect(!manifest.contains("consultation"))
    let item = try String(contentsOfFile: school.root + "/uploads/110001/co-112-1-0001/item.json", encoding: .utf8)
    #expect(item.contains(#""fromSchool" : "313302""#) && item.contains("packageSha256"))
  }

  @Test func importingTheSamePackageTwiceAddsNothing() throws {
    let (folder, package) = try exportedPackage()
    let school = try ReceivingDrop()
    defer {
      try? FileManager.default.removeItem(atPath: folder)
      school.remove()
    }
    #expect(try CLI.run(["import", package, "--into", school.root, "--from-school", "313302"]).status == 0)
    let after = contentListing(school.root)
    let again = try CLI.run(["import", package, "--into", school.root, "--from-school", "313302"])
    #expect(again.status == 0)
    #expect(again.stdout.contains("imported 0 items"))
    #expect(contentListing(school.root) == after)
  }

  @Test func aStudentNumberWithAnotherIDNumberIsRefusedNotMerged() throws {
    let (folder, package) = try exportedPackage()
    let school = try ReceivingDrop(idNumber: "F231245608")
    defer {
      try? FileManager.default.removeItem(atPath: folder)
      school.remove()
    }
    let before = contentListing(school.root)
    let outcome = try CLI.run(["import", package, "--into", school.root, "--from-school", "313302"])
    #expect(outcome.status == 1)
    #expect(outcome.stdout.contains("student-mismatch"))
    #expect(!outcome.stdout.contains("F231245608") && !outcome.stdout.contains("A123456789"))
    #expect(contentListing(school.root) == before)
  }

  @Test func aStudentRenumberedAtTheReceivingSchoolLandsUnderTheNewNumberWithNothingLost() throws {
    let (folder, package) = try exportedPackage()
    let school = try ReceivingDrop(number: "220417")
    let out = school.root + "-out"
    defer {
      try? FileManager.default.removeItem(atPath: folder)
      try? FileManager.default.removeItem(atPath: out)
      school.remove()
    }
    let imported = try CLI.run(["import", package, "--into", school.root, "--from-school", "313302"])
    #expect(imported.status == 0, "\(imported.stdout)")
    #expect(imported.stdout.contains("imported 4 items"))
    #expect(imported.stdout.contains("as student 220417 (student 110001 at the sending school 313302)"))
    #expect(!FileManager.default.fileExists(atPath: school.root + "/uploads/110001"))
    let items = try FileManager.default.contentsOfDirectory(atPath: school.root + "/uploads/220417").sorted()
    #expect(items == ["co-112-1-0001", "co-112-1-0002", "cs-112-1-0001", "mp-112-0001"])
    let item = try String(contentsOfFile: school.root + "/uploads/220417/co-112-1-0001/item.json", encoding: .utf8)
    #expect(item.contains(#""fromStudentNumber" : "110001""#) && item.contains(#""fromSchool" : "313302""#))

    // The receiving school's central package carries every item of the sending school's package.
    #expect(try CLI.run(["validate", school.root, "--out", out + "/report"]).status == 0)
    let made = try CLI.run(
      ["package", school.root, "--kind", "central", "--year", "112", "--out", out],
      environment: ["SOURCE_DATE_EPOCH": "1700000000"])
    #expect(made.status == 0, "\(made.stdout)")
    let central = try unzipManifest(out + "/packages/313303_112_central_220417.zip")
    let sent = try unzipManifest(package)
    #expect(central.contains("<studentNumber>220417</studentNumber>"))
    func hashes(_ xml: String) -> [String] {
      xml.matches(of: /sha256="([0-9a-f]{64})"/).map { String($0.1) }.sorted()
    }
    #expect(hashes(sent).count == 6)
    #expect(Set(hashes(central)) == Set(hashes(sent)).subtracting(consultationHashes(sent)))
  }

  @Test func aTransferWithTheSameIDNumberButAnotherBirthDateOrNoMatchIsRefused() throws {
    let (folder, package) = try exportedPackage()
    let otherBirth = try ReceivingDrop(number: "220417", birthDate: "2007-05-15")
    let nobody = try ReceivingDrop(idNumber: "F231245608", number: "220418")
    defer {
      try? FileManager.default.removeItem(atPath: folder)
      otherBirth.remove()
      nobody.remove()
    }
    for (school, code) in [(otherBirth, "student-mismatch"), (nobody, "unknown-student")] {
      let before = contentListing(school.root)
      let outcome = try CLI.run(["import", package, "--into", school.root, "--from-school", "313302"])
      #expect(outcome.status == 1)
      #expect(outcome.stdout.contains(code), "\(outcome.stdout)")
      #expect(!outcome.stdout.contains("A123456789"))
      #expect(contentListing(school.root) == before)
    }
  }

  @Test func theWrongSendingSchoolOrACentralPackageIsRefused() throws {
    let (folder, package) = try exportedPackage()
    let school = try ReceivingDrop()
    defer {
      try? FileManager.default.removeItem(atPath: folder)
      school.remove()
    }
    let before = contentListing(school.root)
    #expect(try CLI.run(["import", package, "--into", school.root, "--from-school", "999999"]).status == 1)
    let central = folder + "/central"
    _ = try CLI.run(
      ["package", "samples/drop", "--kind", "central", "--year", "112", "--student", "110001", "--out", central],
      in: CLI.repository.path)
    let refused = try CLI.run([
      "import", central + "/packages/313302_112_central_110001.zip", "--into", school.root, "--from-school", "313302",
    ])
    #expect(refused.status == 1)
    #expect(refused.stdout.contains("wrong-kind"))
    #expect(contentListing(school.root) == before)
  }

  @Test func aConflictingItemRefusesTheWholePackage() throws {
    let (folder, package) = try exportedPackage()
    let school = try ReceivingDrop()
    defer {
      try? FileManager.default.removeItem(atPath: folder)
      school.remove()
    }
    let existing = school.root + "/uploads/110001/mp-112-0001"
    try FileManager.default.createDirectory(atPath: existing, withIntermediateDirectories: true)
    try Data(
      #"{"itemId":"mp-112-0001","kind":"multiple-performance","academicYear":112,"category":"other","startDate":"2023-09-01","files":[{"name":"a.png","role":"document"}]}"#
        .utf8
    )
    .write(to: URL(fileURLWithPath: existing + "/item.json"))
    let before = contentListing(school.root)
    let outcome = try CLI.run(["import", package, "--into", school.root, "--from-school", "313302"])
    #expect(outcome.status == 1)
    #expect(outcome.stdout.contains("import-conflict"))
    #expect(contentListing(school.root) == before)
  }
}

/// The hashes of the consultation records' files (never in a central package).
func consultationHashes(_ manifest: String) -> Set<String> {
  guard let start = manifest.range(of: "<consultationRecords>"), let end = manifest.range(of: "</consultationRecords>")
  else {
    return []
  }
  return Set(manifest[start.upperBound..<end.lowerBound].matches(of: /sha256="([0-9a-f]{64})"/).map { String($0.1) })
}

func unzipManifest(_ zip: String) throws -> String {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/unzip")
  process.arguments = ["-p", zip, "manifest.xml"]
  let pipe = Pipe()
  process.standardOutput = pipe
  try process.run()
  let data = pipe.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return String(decoding: data, as: UTF8.self)
}
