import ArgumentParser
import Foundation
import PortfolioCore

/// The isolated inspection worker (started by the program itself, never by hand): reads
/// requests on standard input and answers on standard output.
struct InspectionWorker: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "inspection-worker", abstract: "Internal: the isolated file-inspection worker.",
    shouldDisplay: false)

  func run() throws {
    let status = InspectionWorkerMain.run()
    if status != 0 { throw ExitCode(status) }
  }
}
