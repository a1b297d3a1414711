import Foundation

/// Where tests make files that outlive one test (shared fixtures, receipts, zips): one folder of
/// this test process, removed when the process exits, so that a run leaves nothing in /tmp.
public enum Scratch {
  public static let root: String = {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("portfolio-tests-\(getpid())").path
    try? FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    atexit { try? FileManager.default.removeItem(atPath: Scratch.root) }
    return root
  }()

  /// A new path in the scratch folder: `prefix`, a unique part, then `suffix` (nothing is created).
  public static func path(_ prefix: String, suffix: String = "") -> String {
    root + "/" + prefix + "-" + UUID().uuidString + suffix
  }
}
