import Foundation
import Testing

/// Every regular file under `root` with its bytes, and every other entry with its kind.
public func contentListing(_ root: String) -> [String: Data] {
  var listing: [String: Data] = [:]
  let enumerator = FileManager.default.enumerator(atPath: root)
  while let path = enumerator?.nextObject() as? String {
    let attributes = try? FileManager.default.attributesOfItem(atPath: root + "/" + path)
    let type = attributes?[.type] as? FileAttributeType
    let stamp = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
    listing[path] =
      type == .typeRegular
      ? (FileManager.default.contents(atPath: root + "/" + path) ?? Data()) + Data("@\(stamp)".utf8)
      : Data("\(type?.rawValue ?? "?")@\(stamp)".utf8)
  }
  return listing
}

/// Compares `actual` with a committed golden file; `PORTFOLIO_RECORD=1` rewrites it (and fails,
/// so a recording is never mistaken for a pass).
public func expectGolden(
  _ actual: Data, _ name: String, folder: String = "Tests/EndToEndTests/Golden",
  sourceLocation: SourceLocation = #_sourceLocation
) throws {
  let url = CLI.repository.appendingPathComponent("\(folder)/\(name)")
  if ProcessInfo.processInfo.environment["PORTFOLIO_RECORD"] == "1" {
    try actual.write(to: url)
    Issue.record("recorded \(name); rerun without PORTFOLIO_RECORD", sourceLocation: sourceLocation)
    return
  }
  let expected = try Data(contentsOf: url)
  #expect(
    actual == expected, "\(name) differs from the golden file; rerun with PORTFOLIO_RECORD=1 and review the diff",
    sourceLocation: sourceLocation)
}
