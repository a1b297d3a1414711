import Foundation
import TestSupport
import Testing

/// presubmit opens each upload once to judge it and once to copy it into its package — the
/// scan and the packager's before/after checks look at it with `lstat` — counted with strace.
@Suite(.serialized) struct ReadOnceTests {
  @Test func presubmitOpensEachUploadAtMostTwice() throws {
    let output = NSTemporaryDirectory() + "read-once-\(UUID().uuidString)"
    let trace = output + ".strace"
    defer {
      try? FileManager.default.removeItem(atPath: output)
      try? FileManager.default.removeItem(atPath: trace)
    }
    let (status, _) = try SystemTool.run(
      "/usr/bin/env",
      [
        "-C", CLI.repository.path, "SOURCE_DATE_EPOCH=1700000000", "/usr/bin/strace", "-f", "-qq", "-e",
        "trace=openat", "-o", trace, CLI.binary.path, "run", "pipelines/presubmit.yml", "--output", output,
      ])
    #expect(status == 1, "the samples hold rejected files")
    let lines = try String(contentsOfFile: trace, encoding: .utf8).split(separator: "\n")
    var opens: [String: Int] = [:]
    for line in lines where line.contains("\"samples/drop/uploads/") && !line.contains("ENOENT") {
      let path = line.split(separator: "\"")[1]
      let name = path.split(separator: "/").last ?? ""
      guard name != "item.json", name.contains(".") else { continue }  // folders and item.json
      opens[String(path), default: 0] += 1
    }
    #expect(opens.count > 20, "\(opens.count) uploads opened")
    let packaged = try FileManager.default.contentsOfDirectory(atPath: output + "/packages").filter {
      $0.hasSuffix(".zip")
    }
    #expect(packaged == ["313302_112_central_110001.zip"])
    for (path, count) in opens {
      #expect(count <= 2, "\(path) opened \(count) times")
      if path.hasPrefix("samples/drop/uploads/110001/"), !path.contains("/cs-") {
        #expect(count == 2, "\(path): judged once and copied once, opened \(count) times")
      }
    }
  }
}
