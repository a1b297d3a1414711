import ArgumentParser
import Foundation
import PortfolioCore

struct Merge: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Merge the outputs of a sharded run (--shard) into the outputs of one unsharded run.",
    discussion: """
      Give every shard's output folder. The merge checks that they are one complete run (every \
      index of one COUNT, the same drop, drop fingerprint, program and pipeline) and refuses with \
      a message naming what is missing or different (exit 64).

      It then writes report.json, rejections.csv, notices/, report.html and packages.csv into \
      --out: byte for byte what one run of the same pipeline over the whole drop writes with the \
      same SOURCE_DATE_EPOCH. Packages stay in their shard's packages/ folder; packages.csv lists \
      them. Exit status as the run's: 1 when a shard rejected something.
      """)

  @Argument(help: "The shard output folders (each holding shard.json).", completion: .directory)
  var shards: [String]

  @Option(help: "Output folder for the merged outputs (created if needed).")
  var out: String

  func validate() throws {
    if shards.isEmpty { throw ValidationError("give the output folder of every shard") }
  }

  func run() throws {
    let outcome: ShardMerge.Outcome
    do {
      for folder in shards { try PathCheck.folder(folder, role: .shardFolder) }
      try PathCheck.output(out, drop: nil)  // the merge takes the folder's lock itself
      outcome = try ShardMerge(folders: shards, date: Packager.generationDate()).write(into: out)
    } catch {
      throw stopped("merge", error)
    }
    print("merge: \(Plural.count(outcome.shards, "shard")) → \(out)")
    for line in outcome.lines { print("  \(line)") }
    if outcome.status != 0 { throw ExitCode(outcome.status) }
  }
}
