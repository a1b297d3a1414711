import Foundation
import PortfolioCore

#if canImport(Glibc)
  import Glibc
#endif

/// Builds small drop directories in a temporary folder for tests.
public struct TestDrop {
  public let root: String

  public static var repository: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
  }
  public static var samples: String { repository.appendingPathComponent("samples/drop").path }
  public static func sniffFixture(_ name: String) -> String {
    repository.appendingPathComponent("samples/sniff/\(name)").path
  }

  public init(
    students: String = "studentNumber,idNumber,name,birthDate,enrollmentYear\n110001,A123456789,王小明,2007-05-14,112\n"
  )
    throws
  {
    root = FileManager.default.temporaryDirectory.appendingPathComponent("drop-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: root + "/uploads", withIntermediateDirectories: true)
    try write("school.json", #"{"schoolCode":"313302","schoolType":"general"}"#)
    try write("students.csv", students)
    try write(
      "courses.csv",
      "studentNumber,academicYear,term,courseCode,courseName,credits,score,passed,teacherIds\n"
        + "110001,112,1,112313302H1010101,探究與實作,2,88,true,T0042\n")
  }

  public func write(_ relative: String, _ text: String) throws {
    try write(relative, Data(text.utf8))
  }

  public func write(_ relative: String, _ data: Data) throws {
    let url = URL(fileURLWithPath: root + "/" + relative)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try data.write(to: url)
  }

  public func copyFixture(_ fixture: String, to relative: String) throws {
    try write(relative, try Data(contentsOf: URL(fileURLWithPath: TestDrop.sniffFixture(fixture))))
  }

  /// A multiple-performance item listing `files` (document role).
  public func item(_ student: String, _ itemId: String, files: [String], extra: String = "") throws {
    let list = files.map { #"{"name":"\#($0)","role":"document"}"# }.joined(separator: ",")
    try write(
      "uploads/\(student)/\(itemId)/item.json",
      #"{"itemId":"\#(itemId)","kind":"multiple-performance","academicYear":112,"category":"works","title":"作品","summary":"摘要","startDate":"2023-09-01","uploadedAt":"2023-10-01T10:00:00+08:00","files":[\#(list)]\#(extra)}"#
    )
  }

  /// A listing of every path under the drop with its kind, size and content hash, to prove
  /// that nothing changed.
  public func fingerprint() -> [String] { TestDrop.listing(of: root) }

  /// Every path under `root` with its kind, mode, size, time and content hash: equal listings
  /// mean nothing there changed.
  public static func listing(of root: String) -> [String] {
    var lines: [String] = []
    let enumerator = FileManager.default.enumerator(atPath: root)
    while let path = enumerator?.nextObject() as? String {
      let full = root + "/" + path
      var info = stat()
      lstat(full, &info)
      var line =
        "\(path) mode=\(info.st_mode) size=\(info.st_size) mtime=\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
      if info.st_mode & S_IFMT == S_IFREG, info.st_mode & 0o444 != 0,
        let data = FileManager.default.contents(atPath: full)
      {
        line += " hash=\(data.hashValue)"
      }
      lines.append(line)
    }
    return lines.sorted()
  }

  public func remove() { try? FileManager.default.removeItem(atPath: root) }
}
