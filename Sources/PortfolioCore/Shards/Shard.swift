import Digest

/// One part of a run split by student: the students whose number hashes to `index` of `count`.
///
/// The hash is the first 8 bytes (big-endian) of the SHA-256 of the student number's UTF-8
/// bytes, modulo `count`: it depends on the number alone, so adding or removing students moves
/// nobody else, and every machine and every version computes the same shard.
public struct Shard: Sendable, Equatable, Hashable, Codable, CustomStringConvertible {
  public let index: Int
  public let count: Int

  /// The most shards a run may have (Slurm's default `MaxArraySize` is 1,001 tasks).
  public static let maxCount = 10_000

  public init?(index: Int, count: Int) {
    guard (1...Self.maxCount).contains(count), (0..<count).contains(index) else { return nil }
    self.index = index
    self.count = count
  }

  /// `INDEX/COUNT` as given on a command line (`3/8`).
  public init?(_ text: String) {
    let parts = text.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
      let index = Int(parts[0]), let count = Int(parts[1])
    else { return nil }
    self.init(index: index, count: count)
  }

  public var description: String { "\(index)/\(count)" }

  /// Whether the student numbered `studentNumber` belongs to this shard.
  public func contains(_ studentNumber: String) -> Bool {
    Self.index(of: studentNumber, count: count) == index
  }

  /// Whether an entry of `uploads/` is another shard's student folder (a name that is no
  /// student number belongs to every shard: it is a finding on the drop).
  func excludes(_ folder: DirectoryName) -> Bool {
    guard let text = folder.string, Identifiers.isStudentNumber(text) else { return false }
    return !contains(text)
  }

  /// The shard of `studentNumber` among `count` shards.
  public static func index(of studentNumber: String, count: Int) -> Int {
    guard count > 1, let hex = try? DigestHasher.hex(of: Array(studentNumber.utf8)),
      let prefix = UInt64(hex.prefix(16), radix: 16)
    else { return 0 }
    return Int(prefix % UInt64(count))
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    let index = try container.decode(Int.self, forKey: .index)
    let count = try container.decode(Int.self, forKey: .count)
    guard let shard = Shard(index: index, count: count) else {
      throw DecodingError.dataCorruptedError(
        forKey: .index, in: container, debugDescription: "shard \(index)/\(count) is not a shard")
    }
    self = shard
  }

  private enum CodingKeys: String, CodingKey { case index, count }
}
