import Foundation
import PortfolioCore
import TestSupport
import Testing

/// Numbers that came from a file or a table never trap: extreme values of an MP4's duration and
/// of item.json's numeric fields go through validate → package → check → roster → report, and
/// every student is judged and packaged as the rules say.
@Suite(.serialized) struct ExtremeValueTests {
  /// The sample clip with a version-1 `mvhd` saying `duration` at `timescale` (the clip's
  /// `moov` follows its `mdat`, so no sample offset moves).
  static func clip(duration: UInt64, timescale: UInt32) throws -> Data {
    let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: TestDrop.sniffFixture("video_mp4--clip.mp4"))))
    func be32(_ at: Int) -> Int { original[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
    func bytes32(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (24 - 8 * $0)) } }
    func bytes64(_ value: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * $0)) } }
    var moov = 0
    while moov + 8 <= original.count, String(decoding: original[moov + 4..<moov + 8], as: UTF8.self) != "moov" {
      moov += be32(moov)
    }
    let mvhd = moov + 8
    #expect(String(decoding: original[mvhd + 4..<mvhd + 8], as: UTF8.self) == "mvhd" && original[mvhd + 8] == 0)
    let size = be32(mvhd)
    // Version 0 body: version+flags, creation, modification, timescale, duration (4 bytes each), rest.
    let rest = Array(original[(mvhd + 28)..<(mvhd + size)])
    let body: [UInt8] = [1, 0, 0, 0] + bytes64(0) + bytes64(0) + bytes32(timescale) + bytes64(duration) + rest
    let box = bytes32(UInt32(8 + body.count)) + Array("mvhd".utf8) + body
    let grown = be32(moov) + box.count - size
    return Data(
      Array(original[0..<moov]) + bytes32(UInt32(grown)) + Array("moov".utf8) + box
        + Array(original[(mvhd + size)...]))
  }

  static let durations: [UInt64] = [0, 1, 86_400, 86_401, 1 << 31, 1 << 53, 1 << 62, UInt64.max - 1, UInt64.max]
  static let badFields: [(String, String)] = [
    ("academicYear", "2147483648"), ("academicYear", "9007199254740993"), ("academicYear", "9223372036854775808"),
    ("academicYear", "-1"), ("academicYear", "1e308"), ("academicYear", "-0"),
  ]
  /// graduationYear values in students.csv that no Minguo year is: the row is refused, never a trap.
  static let badGraduations = ["-9223372036854775808", "9223372036854775807", "2147483648", "0"]

  func item(_ id: String, year: String = "112", media: String? = nil) -> String {
    let files =
      [#"{"name":"a.png","role":"document"}"#] + (media.map { [#"{"name":"\#($0)","role":"media"}"#] } ?? [])
    return
      #"{"itemId":"\#(id)","kind":"multiple-performance","academicYear":\#(year),"category":"works","title":"作品","summary":"摘要","startDate":"2023-09-01","uploadedAt":"2023-10-01T10:00:00+08:00","selected":true,"files":[\#(files.joined(separator: ","))]}"#
  }

  @Test func extremeDurationsAndFieldsNeverStopTheRun() throws {
    let count = Self.durations.count + Self.badFields.count
    var students = "studentNumber,idNumber,name,birthDate,enrollmentYear,graduationYear\n"
    for index in 0..<count { students += "\(110_001 + index),A123456789,學生\(index),2007-05-14,112,\n" }
    for (offset, year) in Self.badGraduations.enumerated() {
      students += "\(120_001 + offset),A123456789,畢業\(offset),2007-05-14,112,\(year)\n"
    }
    let drop = try TestDrop(students: students)
    let out = drop.root + "-out"
    defer {
      drop.remove()
      try? FileManager.default.removeItem(atPath: out)
    }
    for (index, duration) in Self.durations.enumerated() {
      let folder = "uploads/\(110_001 + index)/mp-112-0001"
      try drop.copyFixture("image_png--diagram.png", to: folder + "/a.png")
      try drop.write(folder + "/clip.mp4", try Self.clip(duration: duration, timescale: 1))
      try drop.write(folder + "/item.json", item("mp-112-0001", media: "clip.mp4"))
    }
    for (offset, (_, value)) in Self.badFields.enumerated() {
      let folder = "uploads/\(110_001 + Self.durations.count + offset)/mp-112-0001"
      try drop.copyFixture("image_png--diagram.png", to: folder + "/a.png")
      try drop.write(folder + "/item.json", item("mp-112-0001", year: value))
    }
    for offset in Self.badGraduations.indices {
      let folder = "uploads/\(120_001 + offset)/mp-112-0001"
      try drop.copyFixture("image_png--diagram.png", to: folder + "/a.png")
      try drop.write(folder + "/item.json", item("mp-112-0001"))
    }
    let pipeline = drop.root + "-presubmit.yml"
    defer { try? FileManager.default.removeItem(atPath: pipeline) }
    try """
    name: presubmit
    drop: \(drop.root)
    output: \(out)
    stages:
      - validate
      - package:
          kind: central
          year: 112
      - check
      - roster:
          year: 112
      - report
    """.write(toFile: pipeline, atomically: true, encoding: .utf8)
    let run = try CLI.run(["run", pipeline])
    #expect(run.status == 1, "\(run.stdout)\(run.stderr)")
    #expect(!run.stderr.contains("Fatal error"))

    let report = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/report.json")))
        as? [String: Any])
    let files = try #require(report["files"] as? [[String: Any]])
    let findings = try #require(report["findings"] as? [[String: Any]])
    for (index, duration) in Self.durations.enumerated() {
      let number = "\(110_001 + index)"
      let clip = try #require(files.first { $0["path"] as? String == "uploads/\(number)/mp-112-0001/clip.mp4" })
      let kept = duration > 0 && duration <= 86_400
      #expect((clip["durationSeconds"] as? Double) == (kept ? Double(duration) : nil), "duration \(duration)")
      #expect(clip["verdict"] as? String == "accepted", "duration \(duration): \(clip)")
      // Packaged, and the package passes check.
      let zip = out + "/packages/313302_112_central_\(number).zip"
      #expect(FileManager.default.fileExists(atPath: zip), "no package for duration \(duration)")
      #expect(try CLI.run(["check", zip]).status == 0, "check refused the package of duration \(duration)")
    }
    for (offset, (field, value)) in Self.badFields.enumerated() {
      let number = "\(110_001 + Self.durations.count + offset)"
      let codes = findings.filter { $0["studentNumber"] as? String == number }.compactMap { $0["code"] as? String }
      #expect(codes == ["bad-metadata"], "\(field) = \(value): \(codes)")
    }
    for (offset, year) in Self.badGraduations.enumerated() {
      let number = "\(120_001 + offset)"
      let rowProblem = findings.first {
        $0["file"] as? String == "students.csv" && ($0["message_en"] as? String)?.contains("graduationYear") == true
          && ($0["studentNumber"] as? String) == number
      }
      #expect(rowProblem?["code"] as? String == "bad-metadata", "graduationYear \(year)")
      let codes = findings.filter {
        $0["studentNumber"] as? String == number && $0["file"] as? String != "students.csv"
      }
      .compactMap { $0["code"] as? String }
      #expect(codes == ["unknown-student"], "graduationYear \(year): \(codes)")
    }
    #expect(FileManager.default.fileExists(atPath: out + "/report.html"))
    let written = try FileManager.default.subpathsOfDirectory(atPath: out)
    #expect(written.contains { $0.hasSuffix(".xlsx") }, "no roster written: \(written)")
  }
}
