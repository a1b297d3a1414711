import Foundation
import Logging

/// `receipts`: the central database's receipt compared with the submitted rosters (by default
/// the run's own output folder, where presubmit wrote them). Read and compared when the run is
/// loaded, written when the stage's turn comes.
struct ReceiptsStage: PipelineStage {
  let receipt: String
  let submitted: String?
  let passwordFile: String?
  var check: ReceiptCheck?
  var readsOnly: Bool { false }
  var makes: [StageProduct] { [.receiptSection] }

  init(receipt: String, submitted: String?, passwordFile: String?) {
    self.receipt = receipt
    self.submitted = submitted
    self.passwordFile = passwordFile
  }

  mutating func prepare(drop: String, output: String) throws(EnvironmentError) {
    var password: String?
    if let passwordFile { password = try ReceiptPassword.read(from: passwordFile) }
    check = try ReceiptCheck.prepare(receipt: receipt, submitted: submitted ?? output, drop: drop, password: password)
  }

  func run(_ state: inout PipelineState) throws -> Logger.Metadata {
    guard let check else { throw PipelineError.invalid("receipts", "the receipt was not read before the run") }
    let written = try check.write(into: state.output)
    state.products.put(.receiptSection, check.staffSection())
    state.outcome.lines += written.lines.map { "receipts: " + $0 }
    if !check.isClean { state.refused() }
    let r = check.reconciliation
    return [
      "received": "\(r.count(.received))", "different": "\(r.count(.different))", "missing": "\(r.count(.missing))",
      "unexpected": "\(r.count(.unexpected))", "pages": "\(written.pages)",
    ]
  }
}
