import Foundation
import PortfolioCore
import TestSupport
import Testing

/// The uploads of issue 22 that a hostile or unlucky student can make today, each with the exact
/// answer it must get (scripts/make-hostile.py writes them; scripts/bench-bombs.sh times them).
@Suite(.serialized) struct ResourceBombTests {
  static let script = CLI.repository.appendingPathComponent("scripts/make-hostile.py").path

  func make(_ arguments: [String]) throws {
    let made = try SystemTool.run("/usr/bin/python3", [Self.script] + arguments)
    #expect(made.status == 0, "make-hostile.py \(arguments) failed")
  }

  func item(_ drop: TestDrop, _ id: String, file: String, role: String) throws {
    try drop.write(
      "uploads/110001/\(id)/item.json",
      #"{"itemId":"\#(id)","kind":"multiple-performance","academicYear":112,"category":"works","title":"作品","summary":"摘要","startDate":"2023-09-01","uploadedAt":"2023-10-01T10:00:00+08:00","files":[{"name":"\#(file)","role":"\#(role)"}]}"#
    )
  }

  @Test func everyBombGetsItsAnswerAndTheOrdinaryFileIsUntouched() throws {
    let drop = try TestDrop()
    let out = drop.root + "-out"
    defer {
      drop.remove()
      try? FileManager.default.removeItem(atPath: out)
    }
    let folder = drop.root + "/uploads/110001"
    try FileManager.default.createDirectory(atPath: folder + "/mp-112-0001", withIntermediateDirectories: true)
    try make(["objstm-bomb", folder + "/mp-112-0001/bomb.pdf", "--inflated-mib", "1024"])
    try item(drop, "mp-112-0001", file: "bomb.pdf", role: "document")
    try FileManager.default.createDirectory(atPath: folder + "/mp-112-0002", withIntermediateDirectories: true)
    try make(["shared-annots", folder + "/mp-112-0002/annots.pdf", "--pages", "3000"])
    try item(drop, "mp-112-0002", file: "annots.pdf", role: "document")
    try FileManager.default.createDirectory(atPath: folder + "/mp-112-0003", withIntermediateDirectories: true)
    try make(["sparse", folder + "/mp-112-0003/huge.mp4", "--gib", "8"])
    try item(drop, "mp-112-0003", file: "huge.mp4", role: "media")
    try FileManager.default.createDirectory(atPath: folder + "/mp-112-0004", withIntermediateDirectories: true)
    try make(["mp4-stsz", folder + "/mp-112-0004/stsz.mp4", TestDrop.sniffFixture("video_mp4--clip.mp4")])
    try item(drop, "mp-112-0004", file: "stsz.mp4", role: "media")
    try drop.copyFixture("image_png--diagram.png", to: "uploads/110001/mp-112-0005/diagram.png")
    try item(drop, "mp-112-0005", file: "diagram.png", role: "document")

    let run = try CLI.run(["validate", drop.root, "--out", out])
    #expect(run.status == 1, "\(run.stdout)\(run.stderr)")
    let report = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/report.json")))
        as? [String: Any])
    let files = try #require(report["files"] as? [[String: Any]])
    let findings = try #require(report["findings"] as? [[String: Any]])
    func codes(_ item: String) -> [String] {
      findings.filter { $0["itemId"] as? String == item }.compactMap { $0["code"] as? String }.sorted()
    }
    func record(_ name: String) -> [String: Any]? { files.first { ($0["path"] as? String)?.hasSuffix(name) == true } }
    func details(_ item: String, _ code: String) -> [String: String] {
      findings.first { $0["itemId"] as? String == item && $0["code"] as? String == code }?["details"]
        as? [String: String] ?? [:]
    }

    // The object-stream bomb: refused at the memory limit, whatever qpdf would have said.
    #expect(codes("mp-112-0001") == ["inspection-failed"])
    #expect(details("mp-112-0001", "inspection-failed")["reason"] == "memory")
    #expect(details("mp-112-0001", "inspection-failed")["limit"] == "536870912")
    // 3,000 pages sharing 3,000 annotations: each object visited once, an ordinary verdict.
    #expect(codes("mp-112-0002") == [])
    #expect(record("annots.pdf")?["pages"] as? Int == 3000)
    #expect(record("annots.pdf")?["verdict"] as? String == "accepted")
    // 8 GiB of holes named .mp4: too-large from fstat (and not an MP4: zeros), never hashed.
    #expect(codes("mp-112-0003") == ["format-not-allowed", "too-large"])
    #expect(record("huge.mp4")?["bytes"] as? Int == 8 << 30)
    #expect(record("huge.mp4")?["sha256"] as? String == "")
    #expect(details("mp-112-0003", "too-large")["bytes"] == String(8 << 30))
    // A sample count its table cannot hold.
    #expect(codes("mp-112-0004") == ["corrupt-file"])
    #expect(
      details("mp-112-0004", "corrupt-file")["reason"]
        == "the video track's sample table is impossible: stsz claims 4294967295 samples but its table holds 20")
    // The ordinary file beside them.
    #expect(codes("mp-112-0005") == [])
    #expect(record("diagram.png")?["verdict"] as? String == "accepted")
  }
}
