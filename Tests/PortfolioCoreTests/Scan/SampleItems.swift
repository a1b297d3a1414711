import Foundation

/// The samples' item.json files, and random edits of them made of the bytes JSON is made of.
enum SampleItems {
  static func all() throws -> [[UInt8]] {
    let uploads = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
      "../../../samples/drop/uploads"
    ).standardized.path
    return try FileManager.default.subpathsOfDirectory(atPath: uploads).filter { $0.hasSuffix("/item.json") }
      .map { Array(try Data(contentsOf: URL(fileURLWithPath: uploads + "/" + $0))) }
  }

  /// One of `seeds` with one to three bytes replaced, inserted or removed (bytes of `alphabet`).
  static func edited(
    _ seeds: [[UInt8]], alphabet: [UInt8], using generator: inout some RandomNumberGenerator
  ) -> [UInt8] {
    var bytes = seeds.randomElement(using: &generator)!
    for _ in 0..<Int.random(in: 1...3, using: &generator) {
      let at = Int.random(in: 0..<bytes.count, using: &generator)
      switch Int.random(in: 0..<3, using: &generator) {
      case 0: bytes[at] = alphabet.randomElement(using: &generator)!
      case 1: bytes.insert(alphabet.randomElement(using: &generator)!, at: at)
      default: bytes.remove(at: at)
      }
    }
    return bytes
  }
}
