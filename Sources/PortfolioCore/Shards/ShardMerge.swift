import Foundation

/// `portfolio merge`: checks that a set of shard outputs is one complete run, then writes the
/// outputs one unsharded run writes — report.json, rejections.csv, the notices, the staff report
/// and packages.csv — with the same writers, so they are the same bytes. The shards' students
/// are taken a few hundred at a time, in student order, from every shard at once (each
/// shard.json read a line at a time): the merge, like the run, holds a part, not the school.
/// Packages stay where their shard wrote them; the merge only lists them.
public struct ShardMerge {
  public let folders: [String]
  public let date: Date

  public init(folders: [String], date: Date) {
    self.folders = folders
    self.date = date
  }

  /// What the merge wrote and how the run ended.
  public struct Outcome: Sendable {
    public var shards: Int
    public var status: Int32
    public var lines: [String]
  }

  /// Every shard's `shard.json`, opened and checked to be one complete run, in shard order.
  func open() throws(MergeError) -> [ShardFile] {
    guard !folders.isEmpty else { throw .noShards }
    var files: [ShardFile] = []
    for folder in folders { files.append(try ShardFile(folder: folder)) }
    let (reference, first) = (files[0].folder, files[0].head)
    var seen: [Int: String] = [:]
    for file in files {
      let (folder, result) = (file.folder, file.head)
      let checks: [(String, Bool)] = [
        ("shard count (\(result.shard.count), not \(first.shard.count))", result.shard.count == first.shard.count),
        ("program or policy table (\(result.program))", result.program == first.program),
        ("drop directory (\(result.drop))", result.drop == first.drop),
        (
          "drop fingerprint (the drop changed between the shards: run them again)",
          result.dropFingerprint == first.dropFingerprint
        ),
        (
          "pipeline (\(result.pipeline): \(result.stages.joined(separator: "; ")))",
          result.pipeline == first.pipeline && result.stages == first.stages
        ),
      ]
      if let failed = checks.first(where: { !$0.1 }) { throw .mismatch(failed.0, folder, reference) }
      if let earlier = seen[result.shard.index] { throw .twice(result.shard, earlier, folder) }
      seen[result.shard.index] = folder
    }
    let missing = (0..<first.shard.count).filter { seen[$0] == nil }
    if !missing.isEmpty { throw .missing(count: first.shard.count, indices: missing) }
    return files.sorted { $0.head.shard.index < $1.head.shard.index }
  }

  /// Writes the merged outputs into `out` (under temporary names, renamed when complete).
  public func write(into out: String) throws -> Outcome {
    let files = try open()
    let heads = files.map(\.head)
    let lock = try OutputLock(folder: out)
    defer { withExtendedLifetime(lock) {} }
    AtomicFile.removeStaleTemporaries(in: out)
    AtomicFile.removeStaleTemporaries(in: out + "/notices")
    let stages = Set(heads[0].stages.compactMap { $0.split(separator: " ").first.map(String.init) })
    var outcome = Outcome(shards: files.count, status: heads.map(\.status).max() ?? 0, lines: [])
    if heads.allSatisfy({ $0.validation != nil }) {
      try writeReports(files, into: out, stages: stages, outcome: &outcome)
    }
    if stages.contains("package") || stages.contains("export") {
      let rows = Self.mergedPackages(heads)
      try AtomicFile.write(try PackageList.csv(rows), to: out + "/" + PackageList.fileName)
      let refused = rows.filter { $0.package == nil }.count
      outcome.lines.append("packages: \(rows.count - refused) written, \(refused) refused → \(out)/packages.csv")
    }
    return outcome
  }

  /// The package lists of every stage, each in student order (as one run lists them).
  static func mergedPackages(_ results: [ShardResult]) -> [PackageListing] {
    let stageCount = results.map(\.packageLists.count).max() ?? 0
    return (0..<stageCount).flatMap { stage in
      results.flatMap { $0.packageLists.count > stage ? $0.packageLists[stage] : [] }
        .sorted { $0.studentNumber < $1.studentNumber }
    }
  }

  static func jsonOf(_ findings: [Finding]) throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return try encoder.encode(findings)
  }

  /// The student folder of `uploads/{student}/{item}`.
  static func student(of pending: String) -> Substring {
    let parts = pending.split(separator: "/")
    return parts.count > 1 ? parts[1] : Substring(pending)
  }
}
