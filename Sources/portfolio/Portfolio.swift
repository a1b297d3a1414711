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
      Roster.self, Run.self, Merge.self, PolicyCommand.self, InspectionWorker.self,
    ])

  /// A file-size limit (`ulimit -f`) must end in a clear "cannot write" error, not a killed run.
  static func main() {
    signal(SIGXFSZ, SIG_IGN)
    // Read the user's umask before any thread runs (libzip flips it while it writes a zip).
    _ = AtomicFile.userUmask
    main(nil)
  }
}
