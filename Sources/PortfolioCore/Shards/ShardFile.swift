import Foundation
import SystemPackage

/// One shard's `shard.json` opened for the merge: its first line (the result without the
/// validation's items, files and findings) decoded, and where each further line is and which
/// kind it holds, so that the merge reads the items, files and findings of a few hundred
/// students at a time (`Cursor`) instead of the whole shard.
final class ShardFile {
  let folder: String
  let path: String
  let head: ShardResult
  private let descriptor: FileDescriptor

  enum Kind { case items, files, findings }
  /// The lines after the first: where each is, and what it holds.
  private(set) var lines: [(offset: Int64, count: Int, kind: Kind)] = []

  /// Opens `<folder>/shard.json`; the error says in words what is wrong with it.
  init(folder: String) throws(MergeError) {
    self.folder = folder
    path = folder + "/" + ShardResult.fileName
    let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
    guard fd >= 0 else {
      let error = errno
      guard error == ENOENT else { throw .unreadable(path, String(cString: strerror(error))) }
      // A run's output folder has its ledger from the start; without one, no run ever wrote here.
      guard case .success = FileSystem.entry(at: folder + "/" + LedgerStore.fileName) else {
        throw .notAShardFolder(folder)
      }
      throw .unfinished(folder)
    }
    descriptor = FileDescriptor(rawValue: fd)
    var starts: [(Int64, Int)] = []
    do {
      starts = try Self.lineStarts(descriptor)
      guard let first = starts.first else { throw MergeError.unreadable(path, "it is empty") }
      head = try ShardResult.decodeLine(ShardResult.self, try Self.read(descriptor, first, path: path))
    } catch let error as MergeError {
      try? descriptor.close()
      throw error
    } catch {
      try? descriptor.close()
      throw .unreadable(path, JSONProblem(error).english)
    }
    guard head.format == ShardResult.currentFormat else {
      try? descriptor.close()
      throw .unreadable(path, "format \(head.format), this program reads \(ShardResult.currentFormat)")
    }
    for (number, (offset, count)) in starts.enumerated().dropFirst() {
      // One kind a line, its only key first ({"findings":…, {"files":…, {"items":…).
      let start = (try? Self.read(descriptor, (offset, min(count, 12)), path: path)) ?? []
      let kinds: [(String, Kind)] = [("{\"findings\"", .findings), ("{\"files\"", .files), ("{\"items\"", .items)]
      guard let kind = kinds.first(where: { start.starts(with: Array($0.0.utf8)) })?.1 else {
        try? descriptor.close()
        throw .unreadable(path, "line \(number + 1) holds neither items, files nor findings")
      }
      lines.append((offset, count, kind))
    }
  }

  deinit { try? descriptor.close() }

  /// Where each line starts and how long it is (without its line break), a megabyte at a time.
  private static func lineStarts(_ descriptor: FileDescriptor) throws -> [(Int64, Int)] {
    var starts: [(Int64, Int)] = []
    var buffer = [UInt8](repeating: 0, count: 1 << 20)
    var (offset, lineStart): (Int64, Int64) = (0, 0)
    while true {
      let read = try buffer.withUnsafeMutableBytes {
        try descriptor.read(fromAbsoluteOffset: offset, into: $0, retryOnInterrupt: true)
      }
      if read == 0 { break }
      for index in 0..<read where buffer[index] == 0x0A {
        let end = offset + Int64(index)
        if end > lineStart { starts.append((lineStart, Int(end - lineStart))) }
        lineStart = end + 1
      }
      offset += Int64(read)
    }
    if offset > lineStart { starts.append((lineStart, Int(offset - lineStart))) }
    return starts
  }

  private static func read(_ descriptor: FileDescriptor, _ line: (Int64, Int), path: String) throws -> [UInt8] {
    var bytes = [UInt8](repeating: 0, count: line.1)
    var done = 0
    while done < line.1 {
      let read = try bytes.withUnsafeMutableBytes {
        try descriptor.read(
          fromAbsoluteOffset: line.0 + Int64(done), into: UnsafeMutableRawBufferPointer(rebasing: $0[done...]),
          retryOnInterrupt: true)
      }
      guard read > 0 else { throw MergeError.unreadable(path, "it ended early") }
      done += read
    }
    return bytes
  }

  /// The entries of one kind, in the shard's order, decoded a line at a time.
  struct Cursor<Value> {
    let file: ShardFile
    let take: (ShardResult.Chunk) -> [Value]
    /// The lines of its kind, and how many of them were read.
    private let lines: [Int]
    private var read = 0
    private var values: [Value] = []
    private var position = 0

    init(_ file: ShardFile, _ kind: Kind, _ take: @escaping (ShardResult.Chunk) -> [Value]) {
      (self.file, self.take) = (file, take)
      lines = file.lines.indices.filter { file.lines[$0].kind == kind }
    }

    /// The next entry without taking it; `nil` at the end.
    mutating func peek() throws(MergeError) -> Value? {
      while position >= values.count {
        guard read < lines.count else { return nil }
        let next = lines[read]
        read += 1
        let (offset, count, _) = file.lines[next]
        do {
          let chunk = try ShardResult.decodeLine(
            ShardResult.Chunk.self, try ShardFile.read(file.descriptor, (offset, count), path: file.path))
          // One kind a line: a line holding two would lose the second to this cursor.
          guard [chunk.items != nil, chunk.files != nil, chunk.findings != nil].count(where: { $0 }) == 1 else {
            throw MergeError.unreadable(file.path, "line \(next + 2) mixes items, files and findings")
          }
          values = take(chunk)
        } catch let error as MergeError {
          throw error
        } catch {
          throw .unreadable(file.path, "line \(next + 2): " + JSONProblem(error).english)
        }
        position = 0
      }
      return values[position]
    }

    /// Takes the entries while `keep` holds.
    mutating func take(while keep: (Value) -> Bool) throws(MergeError) -> [Value] {
      var taken: [Value] = []
      while let value = try peek(), keep(value) {
        taken.append(value)
        position += 1
      }
      return taken
    }
  }
}
