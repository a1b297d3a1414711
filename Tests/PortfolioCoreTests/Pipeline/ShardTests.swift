import Foundation
import Testing

@testable import PortfolioCore

/// The shard of a student: stable (a known hash, the same on every machine), dependent on the
/// number alone, and spread evenly.
struct ShardAssignmentTests {
  @Test func knownStudentsLandWhereSHA256Says() {
    // First 8 bytes of SHA-256("110001") etc. modulo the count, computed by Python's hashlib.
    let expected: [(String, Int, Int)] = [
      ("110001", 1, 5), ("110002", 0, 5), ("110003", 2, 4), ("110004", 3, 4), ("119999", 3, 5),
    ]
    for (number, of4, of7) in expected {
      #expect(Shard.index(of: number, count: 4) == of4, "\(number)")
      #expect(Shard.index(of: number, count: 7) == of7, "\(number)")
      #expect(Shard.index(of: number, count: 1) == 0)
    }
  }

  @Test func everyStudentIsInExactlyOneShardAndAddingStudentsMovesNobody() {
    let numbers = (0..<2_000).map { String(format: "3%05d", $0) }
    let before = numbers.map { Shard.index(of: $0, count: 8) }
    let more = numbers + (2_000..<4_000).map { String(format: "3%05d", $0) }
    #expect(more.prefix(2_000).map { Shard.index(of: $0, count: 8) } == before)
    let shards = (0..<8).compactMap { Shard(index: $0, count: 8) }
    for number in numbers { #expect(shards.filter { $0.contains(number) }.count == 1) }
    let sizes = Dictionary(grouping: before, by: { $0 }).mapValues(\.count)
    #expect(sizes.count == 8)
    #expect(sizes.values.allSatisfy { (190...310).contains($0) }, "about 250 each: \(sizes)")
  }

  @Test func onlyIndexSlashCountIsAShard() {
    #expect(Shard("3/8") == Shard(index: 3, count: 8))
    for bad in ["8/8", "-1/4", "1/0", "1", "1/2/3", " 1/2", "１/2", "0x1/2", "", "/", "1/10001"] {
      #expect(Shard(bad) == nil, "\(bad)")
    }
  }

  @Test func aShardScansOnlyItsStudentsAndKeepsTheDropsOwnFindings() throws {
    let drop = CLITestPaths.samples
    let whole = try DropScanner().scan(drop)
    var students = Set<String>()
    var dropLevel: [Finding]?
    for index in 0..<3 {
      let shard = try #require(Shard(index: index, count: 3))
      let part = try DropScanner(shard: shard).scan(drop)
      #expect(part.items.allSatisfy { shard.contains($0.studentNumber) })
      #expect(part.roster.students.keys.allSatisfy(shard.contains))
      #expect(part.findings.compactMap(\.studentNumber).allSatisfy(shard.contains))
      let own = part.findings.filter { $0.studentNumber == nil }
      if let dropLevel { #expect(own == dropLevel) } else { dropLevel = own }
      students.formUnion(part.roster.students.keys)
    }
    #expect(students == Set(whole.roster.students.keys))
    #expect(dropLevel == whole.findings.filter { $0.studentNumber == nil })
  }
}

enum CLITestPaths {
  static var samples: String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("samples/drop").path
  }
}
