import Foundation
import PortfolioCore
import TestSupport
import Testing

@Suite(.serialized) struct ValidateCLITests {
  @Test func samplesMatchTheGoldenReportAndTheDropIsUntouched() throws {
    let out = FileManager.default.temporaryDirectory.appendingPathComponent("validate-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: out) }
    let before = contentListing(CLI.repository.appendingPathComponent("samples/drop").path)
    let outcome = try CLI.run(["validate", "samples/drop", "--out", out], in: CLI.repository.path)
    #expect(outcome.status == 1)  // the samples hold rejected files on purpose
    #expect(outcome.stdout.contains("accepted"))
    #expect(contentListing(CLI.repository.appendingPathComponent("samples/drop").path) == before)

    let report = try Data(contentsOf: URL(fileURLWithPath: out + "/report.json"))
    try expectGolden(report, "validate-samples-report.json")
    let csv = try Data(contentsOf: URL(fileURLWithPath: out + "/rejections.csv"))
    #expect(csv.starts(with: [0xEF, 0xBB, 0xBF]))
    try expectGolden(csv, "validate-samples-rejections.csv")

    let decoded = try JSONDecoder().decode(ValidationReport.self, from: report)
    // Every code that one file or item can raise appears in the samples.
    let perFileOrItem: Set<String> = [
      "format-not-allowed", "extension-mismatch", "too-large", "empty-file", "corrupt-file", "polyglot",
      "embedded-content", "encrypted-document", "link-in-course-outcome", "missing-file", "summary-too-long",
      "bad-metadata", "not-certified", "modified-after-certification", "outside-window", "before-enrollment",
      "unknown-course", "certifier-not-teacher", "invalid-id-number", "unknown-student", "rare-character",
      "duplicate-file", "unlisted-file",
    ]
    #expect(
      perFileOrItem.subtracting(decoded.summary.findingsByCode.keys).isEmpty,
      "missing from samples: \(perFileOrItem.subtracting(decoded.summary.findingsByCode.keys).sorted())")
    // The phone photo with an EXIF header passes; the HEIC does not.
    #expect(decoded.files.first { $0.path.hasSuffix("IMG_2041.JPG") }?.verdict == .accepted)
    #expect(decoded.files.first { $0.path.hasSuffix("IMG_0001.jpg") }?.verdict == .rejected)
    // No ID number appears unmasked anywhere in the outputs.
    let everything = String(decoding: report + csv + Data(outcome.stdout.utf8), as: UTF8.self)
    for id in ["A123456789", "F231245608", "B120000008", "A123456788"] { #expect(!everything.contains(id)) }
  }

  @Test func outInsideTheDropIsRefused() throws {
    let outcome = try CLI.run(["validate", "samples/drop", "--out", "samples/drop/report"], in: CLI.repository.path)
    #expect(outcome.status == 64)
    #expect(!FileManager.default.fileExists(atPath: CLI.repository.appendingPathComponent("samples/drop/report").path))
  }

  /// Every command that writes refuses an output folder inside the drop (one option group).
  @Test(arguments: [
    ["package", "samples/drop", "--kind", "transfer", "--out", "samples/drop/out"],
    ["notices", "samples/drop", "--out", "samples/drop/out"],
    ["export", "samples/drop", "--student", "110001", "--out", "samples/drop/uploads"],
  ])
  func everyWritingCommandRefusesAnOutputInsideTheDrop(arguments: [String]) throws {
    let before = contentListing(CLI.repository.appendingPathComponent("samples/drop").path)
    let outcome = try CLI.run(arguments, in: CLI.repository.path)
    #expect(outcome.status == 64, "\(arguments): \(outcome.stderr)")
    #expect(
      outcome.stderr.hasPrefix(
        "portfolio \(arguments[0]): \(arguments.last!): the output folder is the drop directory or inside it"))
    #expect(contentListing(CLI.repository.appendingPathComponent("samples/drop").path) == before)
  }

  @Test func policyCommandPrintsThePolicyInForce() throws {
    let old = try CLI.run(["policy", "--year", "108"])
    #expect(old.stdout.contains("tw-2019-108") && old.stdout.contains("2097152"))
    let new = try CLI.run(["policy", "--year", "109", "--term", "1"])
    #expect(new.stdout.contains("tw-2020-109-1") && new.stdout.contains("4194304"))
  }

  /// 1,000 hostile files (cut, flipped, spliced, random, lying lengths) in one drop: the run
  /// ends with a verdict for every file.
  @Test func aThousandHostileFilesNeverCrashOrHang() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("fuzz-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: root) }
    let fixtures = CLI.repository.appendingPathComponent("samples/sniff")
    let names = try FileManager.default.contentsOfDirectory(atPath: fixtures.path).sorted()
    let originals = try names.map { try Data(contentsOf: fixtures.appendingPathComponent($0)) }
    try FileManager.default.createDirectory(atPath: root + "/uploads", withIntermediateDirectories: true)
    try Data(#"{"schoolCode":"313302","schoolType":"general"}"#.utf8).write(
      to: URL(fileURLWithPath: root + "/school.json"))
    var students = "studentNumber,idNumber,name,birthDate,enrollmentYear\n"
    var state: UInt64 = 12345
    func next(_ bound: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((state >> 33) % UInt64(max(bound, 1)))
    }
    let extensions = ["pdf", "jpg", "png", "mp3", "mp4", "PDF", "", "exe"]
    for index in 0..<1000 {
      let student = "S\(index / 50)"
      if index % 50 == 0 { students += "\(student),A123456789,學生,2007-01-01,112\n" }
      var bytes = [UInt8](originals[next(originals.count)])
      switch index % 5 {
      case 0: bytes = Array(bytes.prefix(next(bytes.count + 1)))
      case 1: for _ in 0..<10 where !bytes.isEmpty { bytes[next(bytes.count)] = UInt8(next(256)) }
      case 2: bytes += [UInt8](originals[next(originals.count)])
      case 3: bytes = (0..<next(3000)).map { _ in UInt8(next(256)) }
      default: break
      }
      let ext = extensions[next(extensions.count)]
      let name = "f\(index)" + (ext.isEmpty ? "" : "." + ext)
      let folder = root + "/uploads/\(student)/it-\(index)"
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
      try Data(bytes).write(to: URL(fileURLWithPath: folder + "/" + name))
      let role = ["mp3", "mp4"].contains(ext) ? "media" : "document"
      try Data(
        #"{"itemId":"it-\#(index)","kind":"multiple-performance","academicYear":112,"category":"works","title":"t","summary":"s","startDate":"2023-09-01","uploadedAt":"2023-10-01T10:00:00+08:00","files":[{"name":"\#(name)","role":"\#(role)"}]}"#
          .utf8
      ).write(to: URL(fileURLWithPath: folder + "/item.json"))
    }
    try Data(students.utf8).write(to: URL(fileURLWithPath: root + "/students.csv"))
    try Data("studentNumber,academicYear,term,courseCode,courseName,credits,score,passed,teacherIds\n".utf8)
      .write(to: URL(fileURLWithPath: root + "/courses.csv"))

    let out = root + "-out"
    defer { try? FileManager.default.removeItem(atPath: out) }
    let outcome = try CLI.run(["validate", root, "--out", out])
    #expect(outcome.status == 1, "\(outcome.stderr)")
    let report = try JSONDecoder().decode(
      ValidationReport.self, from: Data(contentsOf: URL(fileURLWithPath: out + "/report.json")))
    #expect(report.files.count == 1000)
    #expect(report.summary.filesRejected > 0 && report.summary.filesAccepted > 0)
    print("1,000 hostile files validated in \(String(format: "%.2f", outcome.seconds)) s")
  }
}
