import Foundation

/// `shard.json`: what one shard of a run established, self-describing (which shard of how many,
/// which drop, which program) so that `portfolio merge` can check a set of shards is complete and
/// write exactly the outputs one unsharded run writes. It is written last, under a temporary name
/// renamed on success: a shard that failed or is still running has none.
///
/// It carries no ID number and no birth date (the rosters are the only output with them).
public struct ShardResult: Codable, Sendable {
  public static let fileName = "shard.json"
  public static let currentFormat = "portfolio-shard/2"

  public var format = Self.currentFormat
  public var shard: Shard
  /// The program and policy table that made it (`Ledger.programStamp`).
  public var program: String
  /// The drop as given, and `DropFingerprint.shared` of it when the shard started.
  public var drop: String
  public var dropFingerprint: String
  /// The pipeline's name and stages (canonical text).
  public var pipeline: String
  public var stages: [String]
  /// When the shard ran (ISO 8601, UTC).
  public var ranAt: String
  public var status: Int32
  public var lines: [String]
  /// What validate found about the shard's students; absent when no validate stage ran.
  public var validation: ValidationPart?
  /// The package lists of the run's package stages, in stage order.
  public var packageLists: [[PackageListing]] = []

  /// The students' part of a validation, enough to write every report of it again.
  public struct ValidationPart: Codable, Sendable {
    public var school: SchoolSettings?
    public var hasStudentList: Bool
    public var students: [StudentPart]
    public var items: [ScannedItem]
    public var pendingItems: [String]
    public var findings: [Finding]
    public var files: FileRecords
    public var ledgerNotes: [String]
    public var policyTable: String
  }

  /// A students.csv row without its ID number and birth date (no report prints them).
  public struct StudentPart: Codable, Sendable {
    public var studentNumber: String
    public var idType: IDType?
    public var name: String
    public var enrollmentYear: Int
    public var className: String?
    public var graduationYear: Int?
  }
}

extension ShardResult.ValidationPart {
  init(_ validation: Validation) {
    let scan = validation.scan
    school = scan.school
    hasStudentList = scan.roster.hasStudentList
    students = scan.roster.students.values.sorted { $0.studentNumber < $1.studentNumber }.map {
      ShardResult.StudentPart(
        studentNumber: $0.studentNumber, idType: $0.idType, name: $0.name, enrollmentYear: $0.enrollmentYear,
        className: $0.className, graduationYear: $0.graduationYear)
    }
    items = scan.items
    pendingItems = scan.pendingItems
    findings = validation.findings
    files = validation.files
    ledgerNotes = validation.ledgerNotes
    policyTable = validation.table.fingerprint
  }
}

extension ShardResult.StudentPart {
  var student: Student {
    Student(
      studentNumber: studentNumber, idNumber: "", idType: idType, name: name, birthDate: "",
      enrollmentYear: enrollmentYear, className: className, graduationYear: graduationYear)
  }
}

extension ShardResult {
  /// How many items, files or findings each line after the first holds.
  static let chunkSize = 2_000

  /// A line of `shard.json` after the first: some of the validation's items, files or findings.
  struct Chunk: Codable {
    var items: [ScannedItem]?
    var files: [FileRecord]?
    var findings: [Finding]?
  }

  static func encoder() -> JSONEncoder {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return encoder
  }

  /// Writes `shard.json` (atomically) as JSON lines: first the result without the validation's
  /// items, files and findings, then those `chunkSize` to a line, items, then files, then
  /// findings — never the whole shard encoded, or decoded, at once.
  func write(to path: String) throws {
    let encoder = Self.encoder()
    var head = self
    head.validation?.items = []
    head.validation?.files = []
    head.validation?.findings = []
    try AtomicFile.stream(to: path) { sink in
      try sink.write(Array(try encoder.encode(head)) + [0x0A])
      guard let part = validation else { return }
      func lines<Values: RandomAccessCollection>(_ values: Values, _ chunk: (Values.SubSequence) -> Chunk) throws
      where Values.Index == Int {
        for start in stride(from: 0, to: values.count, by: Self.chunkSize) {
          let slice = values[start..<min(start + Self.chunkSize, values.count)]
          try sink.write(Array(try encoder.encode(chunk(slice))) + [0x0A])
        }
      }
      try lines(part.items) { Chunk(items: Array($0)) }
      try lines(part.files) { Chunk(files: Array($0)) }
      try lines(part.findings) { Chunk(findings: Array($0)) }
    }
  }

  /// One line decoded (the merge's `ShardFile`).
  static func decodeLine<Value: Decodable>(_ type: Value.Type, _ line: [UInt8]) throws -> Value {
    try decode(type, line[...])
  }

  /// One line decoded from the bytes as read, not a copy of them.
  private static func decode<Value: Decodable>(_ type: Value.Type, _ line: ArraySlice<UInt8>) throws -> Value {
    try line.withUnsafeBytes { raw in
      let data =
        raw.baseAddress.map {
          Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: $0), count: raw.count, deallocator: .none)
        }
        ?? Data()
      return try JSONDecoder().decode(type, from: data)
    }
  }
}

/// Why shards cannot be merged: each names the shard or folder at fault.
public enum MergeError: Error, CustomStringConvertible, Sendable {
  case unfinished(String)
  case notAShardFolder(String)
  case unreadable(String, String)
  case missing(count: Int, indices: [Int])
  case twice(Shard, String, String)
  case mismatch(String, String, String)
  case noShards

  public var description: String {
    switch self {
    case .unfinished(let folder):
      "\(folder) holds no \(ShardResult.fileName): that shard did not finish (it failed, is still running or never ran)"
    case .notAShardFolder(let folder):
      "\(folder) is not the output folder of a shard run (no \(ShardResult.fileName), no \(LedgerStore.fileName)): "
        + "check the path; give the --output of each `portfolio run … --shard INDEX/COUNT`"
    case .unreadable(let path, let why): "\(path) cannot be read: \(why)"
    case .missing(let count, let indices):
      "incomplete: shard\(indices.count == 1 ? "" : "s") \(indices.map { "\($0)/\(count)" }.joined(separator: ", ")) "
        + "missing (give every shard's output folder, 0 to \(count - 1))"
    case .twice(let shard, let first, let second): "shard \(shard) is given twice: \(first) and \(second)"
    case .mismatch(let what, let folder, let reference):
      "\(folder) is not part of the same run as \(reference): its \(what) differs"
    case .noShards: "give at least one shard output folder"
    }
  }
}
