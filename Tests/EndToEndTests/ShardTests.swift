import Foundation
import TestSupport
import Testing

/// `--shard` and `portfolio merge` through the built CLI: the merged outputs are the bytes of one
/// unsharded run, and an incomplete or mixed set of shards is refused with a message naming it.
@Suite(.serialized) struct ShardTests {
  static let epoch = ["SOURCE_DATE_EPOCH": "1700000000"]
  /// Every stage a shard can run (the rosters need the whole school; see `docs/scale.md`).
  static let pipeline = """
    name: sharded
    drop: samples/drop
    output: output/sharded
    stages:
      - scan
      - validate
      - package:
          kind: central
          year: 112
      - check
      - notices
      - report
    """
  /// What the merge writes: compared byte for byte with the unsharded run's.
  static let merged = ["report.json", "rejections.csv", "report.html", "packages.csv"]

  let root = NSTemporaryDirectory() + "shards-\(UUID().uuidString)"

  func definition() throws -> String {
    try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    // The file lives outside the repository: its drop is named by its real path.
    try Self.pipeline.replacingOccurrences(
      of: "drop: samples/drop", with: "drop: " + CLI.repository.path + "/samples/drop"
    )
    .write(toFile: root + "/sharded.yml", atomically: true, encoding: .utf8)
    return root + "/sharded.yml"
  }

  func run(_ arguments: [String]) throws -> CLI.Outcome {
    try CLI.run(arguments, in: CLI.repository.path, environment: Self.epoch)
  }

  /// Runs `count` shards into `{root}/{label}/{index}`; returns their folders.
  func shards(_ count: Int, label: String, drop: String, yml: String) throws -> [String] {
    try (0..<count).map { index in
      let folder = "\(root)/\(label)/\(index)"
      let outcome = try run(["run", yml, "--drop", drop, "--output", folder, "--shard", "\(index)/\(count)"])
      #expect([0, 1].contains(outcome.status), "shard \(index)/\(count): \(outcome.stderr)")
      #expect(FileManager.default.fileExists(atPath: folder + "/shard.json"))
      try Data(outcome.stdout.utf8).write(to: URL(fileURLWithPath: folder + ".stdout"))
      #expect(!FileManager.default.fileExists(atPath: folder + "/report.json"), "a shard writes no report of its own")
      return folder
    }
  }

  /// The merged outputs equal the single run's, file by file, notices included; the shards'
  /// packages together are the single run's packages.
  func expectSameOutputs(single: String, merged: String, shardFolders: [String]) throws {
    let names =
      Self.merged
      + (try FileManager.default.contentsOfDirectory(atPath: single + "/notices"))
      .filter { !$0.hasPrefix(".") }.map { "notices/" + $0 }
    #expect(names.count > Self.merged.count, "the run has notices to compare")
    for name in names {
      let expected = FileManager.default.contents(atPath: single + "/" + name)
      #expect(expected != nil, "\(name) in the single run")
      let actual = FileManager.default.contents(atPath: merged + "/" + name)
      #expect(actual == expected, "\(name) differs after the merge: \(Self.firstDifference(expected, actual))")
    }
    let mergedNotices = try FileManager.default.contentsOfDirectory(atPath: merged + "/notices")
      .filter { !$0.hasPrefix(".") }
    #expect(mergedNotices.count == names.count - Self.merged.count, "no extra notice")
    var packages: [String: Data] = [:]
    for folder in shardFolders {
      for name in (try? FileManager.default.contentsOfDirectory(atPath: folder + "/packages")) ?? [] {
        #expect(packages[name] == nil, "\(name) written by two shards")
        packages[name] = FileManager.default.contents(atPath: folder + "/packages/" + name)
      }
    }
    let singlePackages = try FileManager.default.contentsOfDirectory(atPath: single + "/packages")
    let said = shardFolders.map {
      String(decoding: FileManager.default.contents(atPath: $0 + ".stdout") ?? Data(), as: UTF8.self)
    }
    #expect(Set(packages.keys) == Set(singlePackages), "the shards wrote the single run's packages: \(said)")
    for name in singlePackages {
      #expect(packages[name] == FileManager.default.contents(atPath: single + "/packages/" + name), "\(name)")
    }
  }

  /// The first line that differs, for the failure message.
  static func firstDifference(_ expected: Data?, _ actual: Data?) -> String {
    let left = String(decoding: expected ?? Data(), as: UTF8.self).split(
      separator: "\n", omittingEmptySubsequences: false)
    let right = String(decoding: actual ?? Data(), as: UTF8.self).split(
      separator: "\n", omittingEmptySubsequences: false)
    guard let line = zip(left, right).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset else {
      return "lengths \(left.count) vs \(right.count)"
    }
    return "line \(line + 1): expected \(left[line].prefix(300)) got \(right[line].prefix(300))"
  }

  @Test func mergedSamplesEqualOneRunFor1_2_4And7Shards() throws {
    defer { try? FileManager.default.removeItem(atPath: root) }
    let yml = try definition()
    let single = try run(["run", yml, "--output", root + "/single"])
    #expect(single.status == 1, "the samples hold rejected files: \(single.stderr)")
    for count in [1, 2, 4, 7] {
      let folders = try shards(count, label: "s\(count)", drop: CLI.repository.path + "/samples/drop", yml: yml)
      let before = try FileManager.default.contentsOfDirectory(atPath: folders[0]).sorted()
      let merge = try run(["merge"] + folders + ["--out", "\(root)/m\(count)"])
      #expect(merge.status == 1, "exit status as the single run's: \(merge.stderr)")
      // The findings' spool of the merge lived in the first shard's folder and left nothing there.
      #expect(try FileManager.default.contentsOfDirectory(atPath: folders[0]).sorted() == before)
      try expectSameOutputs(single: root + "/single", merged: "\(root)/m\(count)", shardFolders: folders)
    }
  }

  @Test func generatedCorpusOfTwoHundredStudentsMergesToOneRun() throws {
    defer { try? FileManager.default.removeItem(atPath: root) }
    let yml = try definition()
    let make = try SystemTool.run(
      "/usr/bin/python3", [CLI.repository.path + "/scripts/make-shard-corpus.py", "--out", root, "--students", "200"])
    #expect(make.status == 0, "make-shard-corpus.py failed")
    let drop = root + "/drop"
    let single = try run(["run", yml, "--drop", drop, "--output", root + "/single"])
    #expect(single.status == 1, "\(single.stderr)")
    let folders = try shards(4, label: "s4", drop: drop, yml: yml)
    let merge = try run(["merge"] + folders + ["--out", root + "/m4"])
    #expect(merge.status == 1, "\(merge.stderr)")
    try expectSameOutputs(single: root + "/single", merged: root + "/m4", shardFolders: folders)
    // Every student is in exactly one shard, and the drop's own findings are reported once.
    let report =
      try JSONSerialization.jsonObject(
        with: FileManager.default.contents(atPath: root + "/m4/report.json") ?? Data()) as? [String: Any]
    let summary = report?["summary"] as? [String: Any]
    #expect(summary?["students"] as? Int == 200)
    let findings = report?["findings"] as? [[String: Any]] ?? []
    let dropLevel = findings.filter { $0["studentNumber"] is NSNull }
    #expect(dropLevel.count >= 4, "bad rows, a bad folder name: \(dropLevel.count)")
  }

  @Test func incompleteOrMixedShardsAreRefusedByName() throws {
    defer { try? FileManager.default.removeItem(atPath: root) }
    let yml = try definition()
    let folders = try shards(4, label: "s4", drop: "samples/drop", yml: yml)
    let missing = try run(["merge", folders[0], folders[1], folders[3], "--out", root + "/m"])
    #expect(missing.status == 64)
    #expect(missing.stderr.contains("shard 2/4 missing"), "\(missing.stderr)")
    let twice = try run(["merge", folders[0], folders[1], folders[2], folders[2], folders[3], "--out", root + "/m"])
    #expect(twice.status == 64)
    #expect(twice.stderr.contains("shard 2/4 is given twice"), "\(twice.stderr)")
    let other = try shards(2, label: "s2", drop: "samples/drop", yml: yml)
    let mixed = try run(["merge", folders[0], folders[1], folders[2], folders[3], other[1], "--out", root + "/m"])
    #expect(mixed.status == 64)
    #expect(mixed.stderr.contains("\(other[1]) is not part of the same run"), "\(mixed.stderr)")
    // A shard.json line that holds two kinds would lose one of them: refused, the line named.
    let shardJSON = folders[2] + "/shard.json"
    let original = try Data(contentsOf: URL(fileURLWithPath: shardJSON))
    try (original + Data("{\"files\":[],\"findings\":[]}\n".utf8)).write(to: URL(fileURLWithPath: shardJSON))
    let lines = String(decoding: original, as: UTF8.self).split(separator: "\n").count
    let mixedKinds = try run(["merge"] + folders + ["--out", root + "/m"])
    #expect(mixedKinds.status == 64)
    #expect(
      mixedKinds.stderr.contains("\(shardJSON) cannot be read: line \(lines + 1) mixes items, files and findings"),
      "\(mixedKinds.stderr)")
    #expect(!FileManager.default.fileExists(atPath: root + "/m/report.json"), "nothing renamed into place")
    try original.write(to: URL(fileURLWithPath: shardJSON))
    // A shard that failed (here: its result removed, as a killed shard leaves none) is named.
    try FileManager.default.removeItem(atPath: folders[1] + "/shard.json")
    let failed = try run(["merge"] + folders + ["--out", root + "/m"])
    #expect(failed.status == 64)
    #expect(failed.stderr.contains("\(folders[1]) holds no shard.json"), "\(failed.stderr)")
    #expect(!FileManager.default.fileExists(atPath: root + "/m/report.json"), "nothing merged from a partial set")
  }

  @Test func aShardRunRemovesItsOldResultFirstAndRefusesWholeSchoolStages() throws {
    defer { try? FileManager.default.removeItem(atPath: root) }
    let folder = root + "/s"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    try Data("{\"format\":\"stale\"}".utf8).write(to: URL(fileURLWithPath: folder + "/shard.json"))
    // The presubmit pipeline writes rosters, which list a whole school: not a shard's work.
    let roster = try run(["run", "pipelines/presubmit.yml", "--output", folder, "--shard", "0/2"])
    #expect(roster.status == 64)
    #expect(roster.stderr.contains("stage roster cannot run as shard 0/2"), "\(roster.stderr)")
    let bad = try run(["validate", "samples/drop", "--out", folder, "--shard", "2/2"])
    #expect(bad.status == 64, "index must be below the count")
    let validate = try run(["validate", "samples/drop", "--out", folder, "--shard", "1/2"])
    #expect([0, 1].contains(validate.status), "\(validate.stderr)")
    let bytes = [UInt8](FileManager.default.contents(atPath: folder + "/shard.json") ?? Data())
    let lines = bytes.split(separator: 0x0A).map { Data($0) }
    let result = try JSONSerialization.jsonObject(with: lines.first ?? Data()) as? [String: Any]
    #expect(result?["format"] as? String == "portfolio-shard/2")
    // Then the items, files and findings, a chunk a line, each a JSON object of one of them.
    #expect(lines.count > 1)
    for line in lines.dropFirst() {
      let chunk = try #require(try JSONSerialization.jsonObject(with: line) as? [String: Any])
      #expect(chunk.count == 1 && ["items", "files", "findings"].contains(chunk.keys.first ?? ""))
    }
    #expect((result?["shard"] as? [String: Any])?["index"] as? Int == 1)
    let text = String(decoding: FileManager.default.contents(atPath: folder + "/shard.json") ?? Data(), as: UTF8.self)
    for id in ["A123456789", "F231245608", "B120000008", "A123456788"] {
      #expect(!text.contains(id), "no ID number in shard.json")
    }
  }
}
