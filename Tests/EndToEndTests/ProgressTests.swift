import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// A run on a terminal can be followed: `run` prints each stage's line when that stage ends,
/// not every line when the last stage ends (a real school's run takes hours).
@Suite(.serialized) struct ProgressTests {
  @Test func runPrintsTheFirstStageLineBeforeTheLastStageEnds() throws {
    let drop = try syntheticDrop(students: 300, items: 3)
    let output = drop + "-out"
    defer {
      try? FileManager.default.removeItem(atPath: drop)
      try? FileManager.default.removeItem(atPath: output)
    }
    let yml = drop + "-pipeline.yml"
    defer { try? FileManager.default.removeItem(atPath: yml) }
    try Data(
      "name: progress\ndrop: \(drop)\noutput: \(output)\nstages:\n  - validate\n  - package:\n      kind: transfer\n  - report\n"
        .utf8
    ).write(to: URL(fileURLWithPath: yml))
    // On a pseudo-terminal, as a person at a console sees it (`script` gives the program one).
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
    process.arguments = ["-qfec", "\(CLI.binary.path) run \(yml)", "/dev/null"]
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    try process.run()
    var seen = ""
    var reportExistedAtValidateLine: Bool?
    while true {
      let chunk = pipe.fileHandleForReading.availableData
      if chunk.isEmpty { break }
      seen += String(decoding: chunk, as: UTF8.self)
      if reportExistedAtValidateLine == nil, seen.contains("  validate: ") {
        reportExistedAtValidateLine = FileManager.default.fileExists(atPath: output + "/report.html")
      }
    }
    process.waitUntilExit()
    #expect(seen.contains("pipeline progress: \(drop) → \(output)"), "\(seen)")
    #expect(seen.contains("  package: 300 packages written, 0 refused"), "\(seen)")
    #expect(reportExistedAtValidateLine == false, "the validate line came only after the last stage: \(seen)")
    #expect(FileManager.default.fileExists(atPath: output + "/report.html"))
  }
}
