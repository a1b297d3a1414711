import Foundation
import PortfolioCore
import TestSupport
import Testing

/// What a school IT person sees when they type: a mistyped command gets a suggestion, help text
/// reads as paragraphs, and counts say "1 package", not "1 packages".
@Suite struct HelpTests {
  @Test(arguments: [("valdate", "validate"), ("pakage", "package"), ("rost", "roster"), ("exprot", "export")])
  func aMistypedCommandGetsASuggestion(typed: String, meant: String) throws {
    let outcome = try CLI.run([typed, "samples/drop"], in: CLI.repository.path)
    #expect(outcome.status == 64)
    #expect(
      outcome.stderr.hasPrefix("Error: unknown command '\(typed)'. Did you mean '\(meant)'?\n"), "\(outcome.stderr)")
  }

  @Test func aWordCloseToNoCommandIsArgumentParsersOwnError() throws {
    let outcome = try CLI.run(["frobnicate"], in: CLI.repository.path)
    #expect(outcome.status == 64)
    #expect(outcome.stderr.contains("Unexpected argument 'frobnicate'"))
  }

  @Test func helpParagraphsAreNotBrokenMidSentence() throws {
    let run = try CLI.run(["run", "--help"], in: CLI.repository.path)
    #expect(run.stdout.replacingOccurrences(of: "\n", with: " ").contains("presubmit, national, transfer-export"))
    let package = try CLI.run(["package", "--help"], in: CLI.repository.path)
    // A paragraph is re-wrapped as a whole: no line of it ends after one or two words.
    let discussion = package.stdout.components(separatedBy: "USAGE:")[0]
    for line in discussion.split(separator: "\n") where !line.hasPrefix("OVERVIEW") {
      #expect(line.split(separator: " ").count > 2 || line.hasSuffix("."), "a ragged line: \(line)")
    }
    #expect(discussion.contains("\n\ntransfer: the whole history of one or all students.\n\n"))
  }

  @Test func countsAreSingularOrPlural() {
    #expect(Plural.count(1, "package") == "1 package")
    #expect(Plural.count(0, "package") == "0 packages")
    #expect(Plural.count(2, "entry") == "2 entries")
    #expect(Plural.count(3, "day") == "3 days")
    #expect(Plural.count(2, "box") == "2 boxes")
  }
}
