import Foundation

/// `shard.json` of a shard run validated in parts: each part's items, files and findings go, as
/// JSON lines, to an unnamed spool in the output folder as the part comes; `finish` writes the
/// first line (the shard, its status and lines, its students and items still uploading, known
/// only at the end), then copies the part lines after it — what the merge reads (`ShardFile`):
/// one kind a line, each kind in student order, whatever the order of the lines between kinds.
final class ShardResultStream {
  private let scratch: TextSpool
  private let encoder = ShardResult.encoder()
  private var students: [ShardResult.StudentPart] = []
  private var pending: [String] = []
  private var school: SchoolSettings?
  private var hasStudentList = false

  init(folder: String) throws {
    scratch = try TextSpool(folder: folder)
  }

  /// The next part (parts come in student order).
  func add(_ part: Validation) throws {
    let shardPart = ShardResult.ValidationPart(part)
    (school, hasStudentList) = (shardPart.school, shardPart.hasStudentList)
    students += shardPart.students
    pending += shardPart.pendingItems
    func lines<Values: RandomAccessCollection>(_ values: Values, _ chunk: (Values.SubSequence) -> ShardResult.Chunk)
      throws where Values.Index == Int
    {
      for start in stride(from: 0, to: values.count, by: ShardResult.chunkSize) {
        let slice = values[start..<min(start + ShardResult.chunkSize, values.count)]
        try scratch.write(Array(try encoder.encode(chunk(slice))) + [0x0A])
      }
    }
    try lines(shardPart.items) { ShardResult.Chunk(items: Array($0)) }
    try lines(Array(shardPart.files)) { ShardResult.Chunk(files: Array($0)) }
    try lines(shardPart.findings) { ShardResult.Chunk(findings: Array($0)) }
  }

  /// Writes `path` (atomically): `result` as the first line, with the students and items still
  /// uploading of every part, then the part lines.
  func finish(_ result: ShardResult, ledgerNotes: [String], policyTable: String, to path: String) throws {
    var head = result
    head.validation = ShardResult.ValidationPart(
      school: school, hasStudentList: hasStudentList, students: students, items: [], pendingItems: pending,
      findings: [], files: [], ledgerNotes: ledgerNotes, policyTable: policyTable)
    try AtomicFile.stream(to: path) { sink in
      try sink.write(Array(try encoder.encode(head)) + [0x0A])
      try scratch.copyAll(to: sink)
    }
  }
}
