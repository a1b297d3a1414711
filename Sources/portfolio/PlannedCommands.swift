import ArgumentParser

/// Commands of the pipeline that later work will implement. Until then each says so clearly
/// and exits 64, instead of pretending to have done something.
protocol PlannedCommand: ParsableCommand {}

extension PlannedCommand {
  func run() throws {
    printError(
      "portfolio \(Self.configuration.commandName ?? ""): not available in portfolio \(PortfolioVersionText.current) yet. "
        + "Run `portfolio scan <drop>` for the inventory and structural findings.")
    throw ExitCode(64)
  }
}

enum PortfolioVersionText {
  static var current: String { Portfolio.configuration.version }
}

struct Notices: PlannedCommand {
  static let configuration = CommandConfiguration(
    abstract: "Write a notice in Traditional Chinese for every student with findings. (planned)")
  @Argument var drop: String
}

struct Run: PlannedCommand {
  static let configuration = CommandConfiguration(
    abstract: "Run a pipeline definition from pipelines/*.yml. (planned)")
  @Argument var pipeline: String
}
