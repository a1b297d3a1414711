import CFuzzerDriver
import Foundation
import PortfolioCore

#if canImport(Glibc)
  import Glibc
#endif

/// The fuzz harness: each input goes to every content parser, to the strict item.json check and
/// to the receipt JSON reader,
/// as a hostile upload would; with `PORTFOLIO_FUZZ_TARGET=pipeline`, through the whole pipeline
/// instead (`PipelineFuzz`). A trap, a sanitizer report or an input slower than libFuzzer's
/// `-timeout` fails the run. `scripts/fuzz.sh` builds it with libFuzzer; a plain build replays
/// the files it is given.
@main
enum PortfolioFuzz {
  static let mimes = ["application/pdf", "image/png", "image/jpeg", "video/mp4", "audio/mpeg"]

  static let pipeline = ProcessInfo.processInfo.environment["PORTFOLIO_FUZZ_TARGET"] == "pipeline"

  static func main() {
    var argc = CommandLine.argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
    let status = LLVMFuzzerRunDriver(&argc, &argv) { data, size in
      let bytes = UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : size)
      if PortfolioFuzz.pipeline {
        PipelineFuzz.run(bytes)
        return 0
      }
      for mime in PortfolioFuzz.mimes {
        _ = ContentChecks.facts(of: bytes, as: mime)
      }
      _ = ContentChecks.itemJSONProblem(bytes)
      _ = ReceiptCheck.parseForFuzzing(bytes)
      return 0
    }
    exit(status)
  }
}
