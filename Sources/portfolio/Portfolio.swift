import ArgumentParser
import Foundation
import PortfolioCore

/// The command-line front of the pipeline: a thin layer over `PortfolioCore`.
@main
struct Portfolio: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "portfolio",
    abstract: "Checks and packages Student Learning Portfolio (學習歷程檔案) uploads.",
    discussion: """
      Exit status: 0 nothing rejected, 1 something rejected, 64 usage or environment error.
      """,
    version: PortfolioVersion.current,
    subcommands: [
      Scan.self, Validate.self, Package.self, Check.self, Export.self, Import.self, Notices.self,
      Roster.self, Receipts.self, Run.self, Merge.self, PolicyCommand.self, InspectionWorker.self,
    ])

  /// A file-size limit (`ulimit -f`) must end in a clear "cannot write" error, not a killed run.
  static func main() {
    signal(SIGXFSZ, SIG_IGN)
    HeapTrim.limitArenas()
    // Read the user's umask before any thread runs (libzip flips it while it writes a zip).
    _ = AtomicFile.userUmask
    if let typed = CommandLine.arguments.dropFirst().first, let suggestion = Self.suggestion(for: typed) {
      FileHandle.standardError.write(
        Data("Error: unknown command '\(typed)'. Did you mean '\(suggestion)'?\n  See 'portfolio --help'.\n".utf8))
      Foundation.exit(64)
    }
    main(nil)
  }

  /// The command a mistyped first word most likely meant (at most two edits away, or a prefix
  /// of one command only); `nil` for a real command, an option or a word close to nothing.
  static func suggestion(for typed: String) -> String? {
    let names = configuration.subcommands.map { $0._commandName }
      .filter { $0 != "inspection-worker" }
    guard !typed.hasPrefix("-"), !names.contains(typed), typed != "help" else { return nil }
    let prefixed = names.filter { $0.hasPrefix(typed) }
    if typed.count >= 3, prefixed.count == 1 { return prefixed[0] }
    let scored = names.map { ($0, EditDistance.between(typed, $0)) }.filter { $0.1 <= 2 }
    return scored.min { ($0.1, $0.0) < ($1.1, $1.0) }?.0
  }
}

/// The Levenshtein distance of two words (insertions, deletions and substitutions).
enum EditDistance {
  static func between(_ a: String, _ b: String) -> Int {
    let a = Array(a)
    let b = Array(b)
    var previous = Array(0...b.count)
    for (i, x) in a.enumerated() {
      var current = [i + 1] + Array(repeating: 0, count: b.count)
      for (j, y) in b.enumerated() {
        current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1))
      }
      previous = current
    }
    return previous[b.count]
  }
}
