import Foundation
import PortfolioCore
import TestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The files a nightly run leaves in its output folder, by relative path (ledger excluded).
func nightlyOutputs(_ folder: String) -> [String: Data] {
  var outputs: [String: Data] = [:]
  for relative in ["scan.json", "report.json", "rejections.csv", "report.html"] {
    if let data = FileManager.default.contents(atPath: folder + "/" + relative) { outputs[relative] = data }
  }
  // Temporary files (".name.tmp-PID") are not outputs: they never carry a final name.
  for name in (try? FileManager.default.contentsOfDirectory(atPath: folder + "/notices")) ?? []
  where !name.hasPrefix(".") {
    outputs["notices/" + name] = FileManager.default.contents(atPath: folder + "/notices/" + name)
  }
  return outputs
}

/// A drop of `students` × `items` small real files (copies of the samples' fixtures).
func syntheticDrop(students: Int, items: Int) throws -> String {
  let root = FileManager.default.temporaryDirectory.appendingPathComponent("nightly-\(UUID().uuidString)").path
  try FileManager.default.createDirectory(atPath: root + "/uploads", withIntermediateDirectories: true)
  let fixtures = [
    "application_pdf--report.pdf", "image_jpeg--exif-phone-photo.jpg", "image_png--diagram.png",
    "image_heic--iphone-photo.heic",
  ]
  let sniff = CLI.repository.appendingPathComponent("samples/sniff")
  let data = try fixtures.map { try Data(contentsOf: sniff.appendingPathComponent($0)) }
  try Data(
    #"{"schoolCode":"313302","schoolType":"general","windows":[{"academicYear":112,"kind":"multiple-performance","opens":"2023-08-01T00:00:00+08:00","closes":"2024-07-31T23:59:59+08:00"}]}"#
      .utf8
  )
  .write(to: URL(fileURLWithPath: root + "/school.json"))
  var roster = "studentNumber,idNumber,name,birthDate,enrollmentYear,className\n"
  for student in 0..<students {
    let number = String(format: "1%05d", student)
    roster += "\(number),A123456789,學生\(student),2007-01-01,112,10\(student % 3 + 1)\n"
    for item in 0..<items {
      let folder = root + "/uploads/\(number)/mp-112-\(item)"
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
      let pick = (student * items + item) % fixtures.count
      let ext = pick == 3 ? "jpg" : String(fixtures[pick].split(separator: ".").last!)
      var bytes = data[pick]
      if pick == 1 {
        bytes.insert(
          contentsOf: [0xFF, 0xFE, 0x00, 0x06, UInt8(student & 0xFF), UInt8(item & 0xFF), 0x41, 0x42], at: 2)
      }
      try bytes.write(to: URL(fileURLWithPath: folder + "/f.\(ext)"))
      try Data(
        #"{"itemId":"mp-112-\#(item)","kind":"multiple-performance","academicYear":112,"category":"works","title":"作品 \#(item)","summary":"摘要","startDate":"2023-09-01","uploadedAt":"2023-10-01T10:00:00+08:00","files":[{"name":"f.\#(ext)","role":"document"}],"selected":false}"#
          .utf8
      )
      .write(to: URL(fileURLWithPath: folder + "/item.json"))
    }
  }
  try Data(roster.utf8).write(to: URL(fileURLWithPath: root + "/students.csv"))
  try Data("studentNumber,academicYear,term,courseCode,courseName,credits,score,passed,teacherIds\n".utf8)
    .write(to: URL(fileURLWithPath: root + "/courses.csv"))
  return root
}

@Suite(.serialized) struct NightlyTests {
  let epoch = ["SOURCE_DATE_EPOCH": "1700000000"]

  func runNightly(drop: String, output: String) throws -> CLI.Outcome {
    try CLI.run(
      ["run", "pipelines/nightly.yml", "--drop", drop, "--output", output], in: CLI.repository.path, environment: epoch)
  }

  @Test func samplesNoticesAndReportMatchTheirGoldenFiles() throws {
    let output = FileManager.default.temporaryDirectory.appendingPathComponent("golden-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: output) }
    let outcome = try runNightly(drop: "samples/drop", output: output)
    #expect(outcome.status == 1, "\(outcome.stdout)\(outcome.stderr)")
    try expectGolden(try Data(contentsOf: URL(fileURLWithPath: output + "/report.html")), "nightly-report.html")
    for student in ["110002", "110003", "110004"] {
      try expectGolden(
        try Data(contentsOf: URL(fileURLWithPath: output + "/notices/\(student).txt")), "notice-\(student).txt")
      try expectGolden(
        try Data(contentsOf: URL(fileURLWithPath: output + "/notices/\(student).html")), "notice-\(student).html")
    }
    // 110001 has nothing to fix: no notice.
    #expect(!FileManager.default.fileExists(atPath: output + "/notices/110001.txt"))
    // Logs (stderr is not a terminal here) are JSON lines without names or ID numbers.
    for line in outcome.stderr.split(separator: "\n") {
      #expect(line.hasPrefix("{") && line.hasSuffix("}"))
      #expect(!line.contains("A123456789") && !line.contains("王小明"))
    }
  }

  @Test func theStaffReportRendersInHeadlessChromium() throws {
    let output = FileManager.default.temporaryDirectory.appendingPathComponent("render-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: output) }
    _ = try runNightly(drop: "samples/drop", output: output)
    for page in ["report.html", "notices/110002.html"] {
      let process = Process()
      process.executableURL = URL(fileURLWithPath: "/usr/bin/chromium")
      process.arguments = [
        "--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(output)/.chromium", "--dump-dom",
        "--enable-logging=stderr", "--v=0", "file://\(output)/\(page)",
      ]
      let out = Pipe()
      let err = Pipe()
      process.standardOutput = out
      process.standardError = err
      try process.run()
      let dom = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      let log = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      process.waitUntilExit()
      #expect(process.terminationStatus == 0, "\(page): chromium exited \(process.terminationStatus)")
      #expect(dom.contains("學習歷程檔案"), "\(page) rendered no content")
      #expect(!log.contains("CONSOLE") && !log.contains("Uncaught"), "\(page): \(log)")
      if page == "report.html" {
        #expect(dom.contains("<svg") && dom.contains("Findings by code") && dom.contains("notices/110002.html"))
      }
    }
  }

  @Test func aSecondRunRefusesWhileTheFirstHoldsTheOutput() throws {
    let output = FileManager.default.temporaryDirectory.appendingPathComponent("lock-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: output) }
    let lock = try OutputLock(folder: output)
    let second = try runNightly(drop: "samples/drop", output: output)
    #expect(second.status == 64)
    #expect(second.stderr.contains("another run is using"))
    withExtendedLifetime(lock) {}
  }

  @Test func unknownStagesStopBeforeAnyWork() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: folder) }
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    try Data("name: x\ndrop: samples/drop\noutput: \(folder)/out\nstages:\n  - scan\n  - validat\n".utf8)
      .write(to: URL(fileURLWithPath: folder + "/bad.yml"))
    let outcome = try CLI.run(["run", folder + "/bad.yml"], in: CLI.repository.path)
    #expect(outcome.status == 64)
    #expect(outcome.stderr.contains("unknown stage \"validat\""))
    #expect(!FileManager.default.fileExists(atPath: folder + "/out"))
  }

  /// Killed (SIGKILL) at 20 random moments, a run never leaves a half-written output under its
  /// final name, and the next run finishes with exactly the outputs of an uninterrupted run.
  @Test func killedAtRandomMomentsTheNextRunGivesTheSameOutputs() throws {
    let drop = try syntheticDrop(students: 30, items: 20)
    defer { try? FileManager.default.removeItem(atPath: drop) }
    let clean = drop + "-clean"
    defer { try? FileManager.default.removeItem(atPath: clean) }
    let reference = try runNightly(drop: drop, output: clean)
    #expect(reference.status == 1)  // the HEIC photos are rejected
    let expected = nightlyOutputs(clean)
    #expect(expected.count > 10)

    var random = SystemRandomNumberGenerator()
    let window = max(reference.seconds, 0.2)
    for attempt in 0..<20 {
      let output = drop + "-killed-\(attempt)"
      defer { try? FileManager.default.removeItem(atPath: output) }
      let process = Process()
      process.executableURL = CLI.binary
      process.arguments = ["run", "pipelines/nightly.yml", "--drop", drop, "--output", output]
      process.currentDirectoryURL = CLI.repository
      process.environment = ProcessInfo.processInfo.environment.merging(epoch) { _, new in new }
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
      try process.run()
      usleep(UInt32(Double.random(in: 0...window, using: &random) * 1_000_000))
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
      // Whatever is visible under a final name is complete.
      for (name, data) in nightlyOutputs(output) {
        #expect(data == expected[name], "attempt \(attempt): \(name) is visible but not complete")
      }
      let finished = try runNightly(drop: drop, output: output)
      #expect(finished.status == 1, "attempt \(attempt): \(finished.stderr)")
      #expect(nightlyOutputs(output) == expected, "attempt \(attempt): outputs differ from an uninterrupted run")
      let leftovers = ((try? FileManager.default.contentsOfDirectory(atPath: output)) ?? []).filter {
        $0.contains(".tmp-")
      }
      #expect(leftovers.isEmpty)
    }
  }
}
