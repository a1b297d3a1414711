import Foundation
import GRDB
import PortfolioCore
import TestSupport
import Testing

/// A damaged ledger never stops a night: it is moved aside, the newest good backup restored
/// (or the ledger rebuilt from certified.csv), and what teachers certified is kept.
@Suite(.serialized) struct LedgerRecoveryTests {
  /// Two complete nightly runs of a copy of the samples: a ledger, backups and certified.csv.
  func twoNights() throws -> (drop: String, output: String, certified: [ValidationMemory.CertifiedContent]) {
    let drop = try copyOfSamples()
    let output = drop + "-out"
    _ = try nightly(drop: drop, output: output)
    // Something changed: the second night is a real run, not a skipped one.
    try touch(drop + "/cadres.csv")
    _ = try nightly(drop: drop, output: output)
    let certified = try Ledger(path: output + "/ledger.sqlite").certifiedContent()
    #expect(!certified.isEmpty)
    return (drop, output, certified)
  }

  /// Appends an empty line (ignored by the CSV reader) so the drop's fingerprint changes.
  func touch(_ path: String) throws {
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    try handle.seekToEnd()
    handle.write(Data("\n".utf8))
    try handle.close()
  }

  func damage(_ path: String, keep: Int? = nil) throws {
    let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
    if let keep {
      try handle.truncate(atOffset: UInt64(keep))
    } else {
      try handle.seek(toOffset: 0)
      handle.write(Data(repeating: 0x5A, count: 8192))
    }
    try handle.close()
  }

  @Test func backupsAndCertifiedCSVAreKeptAfterEachRun() throws {
    let (drop, output, certified) = try twoNights()
    defer { for path in [drop, output] { try? FileManager.default.removeItem(atPath: path) } }
    let backups = try FileManager.default.contentsOfDirectory(atPath: output + "/ledger-backups").filter {
      $0.hasSuffix(".sqlite")
    }
    #expect(backups.count == 2)
    let csv = try String(contentsOfFile: output + "/certified.csv", encoding: .utf8)
    #expect(csv.hasPrefix("studentNumber,itemId,fileName,sha256,teacherId,certifiedAt"))
    #expect(certified.allSatisfy { csv.contains($0.sha256) })
    #expect(!csv.contains("A123456789"))  // no ID numbers in it
  }

  @Test func anOverwrittenLedgerIsRestoredFromTheNewestBackup() throws {
    let (drop, output, certified) = try twoNights()
    defer { for path in [drop, output] { try? FileManager.default.removeItem(atPath: path) } }
    try damage(output + "/ledger.sqlite")
    let outcome = try nightly(drop: drop, output: output)
    #expect(outcome.lines.contains { $0.contains("restored the newest good backup") })
    #expect(outcome.filesRead == outcome.summary?.files)  // everything read again
    #expect(try Ledger(path: output + "/ledger.sqlite").certifiedContent() == certified)
    let names = try FileManager.default.contentsOfDirectory(atPath: output)
    #expect(names.contains { $0.hasPrefix("ledger.sqlite.corrupt-") })  // kept, never deleted
    let report = try String(contentsOfFile: output + "/report.json", encoding: .utf8)
    #expect(report.contains("\"ledger\"") && report.contains("failed its integrity check"))
    let html = try String(contentsOfFile: output + "/report.html", encoding: .utf8)
    #expect(html.contains("Ledger recovered"))
    // The night after is an ordinary one again.
    let next = try nightly(drop: drop, output: output)
    #expect(!next.lines.contains { $0.hasPrefix("ledger:") })
  }

  @Test func aTruncatedLedgerWithoutBackupsIsRebuiltFromCertifiedCSV() throws {
    let (drop, output, certified) = try twoNights()
    defer { for path in [drop, output] { try? FileManager.default.removeItem(atPath: path) } }
    try FileManager.default.removeItem(atPath: output + "/ledger-backups")
    try damage(output + "/ledger.sqlite", keep: 3000)
    let outcome = try nightly(drop: drop, output: output)
    #expect(outcome.lines.contains { $0.contains("no good backup: started a new ledger with the") })
    #expect(try Ledger(path: output + "/ledger.sqlite").certifiedContent() == certified)
  }

  @Test func aDamagedBackupIsSkippedForAnOlderGoodOne() throws {
    let (drop, output, certified) = try twoNights()
    defer { for path in [drop, output] { try? FileManager.default.removeItem(atPath: path) } }
    let folder = output + "/ledger-backups"
    let newest = try #require(try FileManager.default.contentsOfDirectory(atPath: folder).sorted().last)
    try damage(folder + "/" + newest)
    try damage(output + "/ledger.sqlite")
    let outcome = try nightly(drop: drop, output: output)
    #expect(outcome.lines.contains { $0.contains("is damaged too; skipped") })
    #expect(outcome.lines.contains { $0.contains("restored the newest good backup") })
    #expect(try Ledger(path: output + "/ledger.sqlite").certifiedContent() == certified)
  }

  @Test func onlySevenBackupsAreKept() throws {
    let drop = try copyOfSamples()
    let output = drop + "-out"
    defer { for path in [drop, output] { try? FileManager.default.removeItem(atPath: path) } }
    for night in 0..<9 {
      _ = night
      try touch(drop + "/cadres.csv")
      _ = try nightly(drop: drop, output: output)
    }
    let backups = try FileManager.default.contentsOfDirectory(atPath: output + "/ledger-backups")
    #expect(backups.filter { $0.hasSuffix(".sqlite") }.count == 7)
  }
}
