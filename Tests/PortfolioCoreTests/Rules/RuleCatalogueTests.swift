import Foundation
import PortfolioCore
import TestSupport
import Testing

/// The rules, the finding codes and the catalogue in docs/ are kept equal by these tests.
@Suite struct RuleCatalogueTests {
  static let rulesFolder = TestDrop.repository.appendingPathComponent("Sources/PortfolioCore/Rules")

  /// Every Swift file under `folder`, with its text.
  static func swiftFiles(under folder: URL) -> [(path: String, text: String)] {
    let enumerator = FileManager.default.enumerator(atPath: folder.path)
    var files: [(String, String)] = []
    while let relative = enumerator?.nextObject() as? String {
      guard relative.hasSuffix(".swift"),
        let text = try? String(contentsOf: folder.appendingPathComponent(relative), encoding: .utf8)
      else { continue }
      files.append((relative, text))
    }
    return files.sorted { $0.0 < $1.0 }
  }

  @Test func everyCodeHasExactlyOneRule() {
    let codes = RuleBook.allRules.map { $0.code }
    #expect(codes.count == Set(codes).count, "a code is owned by two rules")
    #expect(
      Set(codes) == Set(Finding.Code.allCases), "codes without a rule: \(Set(Finding.Code.allCases).subtracting(codes))"
    )
  }

  @Test func everyCodeIsDeclaredInOneRuleFileWithItsMessages() {
    let files = Self.swiftFiles(under: Self.rulesFolder)
    for code in Finding.Code.allCases {
      let name = "\(code)"
      let owners = files.filter { $0.text.contains("static let code = Finding.Code.\(name)\n") }
      #expect(owners.count == 1, "\(code.rawValue) is declared in \(owners.map(\.path))")
      guard let owner = owners.first else { continue }
      #expect(owner.text.contains("zh:") && owner.text.contains("en:"), "\(owner.path) has no message factory")
    }
  }

  @Test func findingsAreMadeOnlyInRuleFiles() {
    let sources = TestDrop.repository.appendingPathComponent("Sources/PortfolioCore")
    let pattern = /Finding\(\s*(Self|[A-Z][A-Za-z]+)\.self/
    for file in Self.swiftFiles(under: sources) where !file.path.hasPrefix("Rules/") {
      #expect(file.text.firstMatch(of: pattern) == nil, "\(file.path) makes a finding outside Rules/")
    }
    #expect(!Self.swiftFiles(under: sources).contains { $0.text.contains("Finding.make(") })
  }

  @Test func theCatalogueInDocsListsEveryCodeAndItsRuleFile() throws {
    let catalogue = try String(
      contentsOf: TestDrop.repository.appendingPathComponent("docs/finding-codes.md"), encoding: .utf8)
    let rows = catalogue.split(separator: "\n").compactMap { line -> (String, String)? in
      guard let match = line.firstMatch(of: /^\| `([a-z-]+)` \| .* \| `(Rules\/[A-Za-z\/]+\.swift)` \|$/) else {
        return nil
      }
      return (String(match.1), String(match.2))
    }
    #expect(rows.map(\.0).sorted() == Finding.Code.allCases.map(\.rawValue).sorted())
    let files = Self.swiftFiles(under: Self.rulesFolder)
    for (code, file) in rows {
      guard let known = Finding.Code(rawValue: code) else { continue }
      let text = files.first { "Rules/\($0.path)" == file }?.text ?? ""
      #expect(text.contains("static let code = Finding.Code.\(known)\n"), "\(code): \(file) does not declare it")
    }
  }

  /// Every code is raised by some test with a real file, item or package (named by its case or
  /// its raw value in a test other than this catalogue).
  @Test func everyCodeIsExercisedByATest() {
    let tests = Self.swiftFiles(under: TestDrop.repository.appendingPathComponent("Tests"))
      .filter { !$0.path.hasSuffix("RuleCatalogueTests.swift") }.map(\.text).joined()
    for code in Finding.Code.allCases {
      #expect(tests.contains(".\(code)") || tests.contains("\"\(code.rawValue)"), "no test raises \(code.rawValue)")
    }
  }

  @Test func theContractsLiveInTheRepository() {
    for document in ["drop-contract.md", "central-field-spec.md", "roster.md", "finding-codes.md"] {
      #expect(
        FileManager.default.fileExists(atPath: TestDrop.repository.appendingPathComponent("docs/\(document)").path))
    }
  }
}
