import Foundation
import PortfolioCore

/// The whole-pipeline fuzz target (`PORTFOLIO_FUZZ_TARGET=pipeline`): each input becomes a
/// one-student drop — `item.json`, then the line `--FILE--`, then the upload; an input without
/// that line is the upload, under an item.json of a selected multiple performance — which is
/// validated, packaged (central for 112 and transfer) and whose packages are checked, all in
/// this process. A trap anywhere (parsers, rules, manifest writer, packager, checker) fails it.
enum PipelineFuzz {
  static let separator = Array("\n--FILE--\n".utf8)
  static let table = try? PolicyTable.bundled()
  /// libFuzzer calls the target on one thread.
  nonisolated(unsafe) static let schema = try? ManifestSchema.load()
  static let root = FileManager.default.temporaryDirectory.appendingPathComponent("portfolio-fuzz-\(getpid())").path

  static func run(_ bytes: UnsafeRawBufferPointer) {
    guard let table, let schema else { fatalError("the policy table or the schema did not load") }
    let input = [UInt8](bytes)
    let (json, upload) = split(input)
    let name = "upload." + guessExtension(upload)
    let drop = root + "/drop"
    let item = drop + "/uploads/110001/mp-112-0001"
    try? FileManager.default.removeItem(atPath: root)
    try? FileManager.default.createDirectory(atPath: item, withIntermediateDirectories: true)
    write(drop + "/school.json", Array(#"{"schoolCode":"313302","schoolType":"general"}"#.utf8))
    write(
      drop + "/students.csv",
      Array("studentNumber,idNumber,name,birthDate,enrollmentYear\n110001,A123456789,王小明,2007-05-14,112\n".utf8))
    write(
      drop + "/courses.csv",
      Array(
        ("studentNumber,academicYear,term,courseCode,courseName,credits,score,passed,teacherIds\n"
          + "110001,112,1,112313302H1010101,探究與實作,2,88,true,T0042\n").utf8))
    write(item + "/item.json", json ?? template(name))
    write(item + "/" + name, upload)
    guard let validation = try? Validator(table: table, options: ValidationOptions(jobs: 1)).validate(drop) else {
      return
    }
    let checker = PackageChecker(table: table, schema: schema)
    for (kind, year) in [(PackageManifest.Kind.central, 112 as Int?), (.transfer, nil)] {
      guard let packager = try? Packager(validation: validation, kind: kind, academicYear: year, generatedAt: Date())
      else { continue }
      let folder = root + "/out-\(kind.rawValue)"
      _ = try? packager.writeAll(into: folder)
      for zip in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where zip.hasSuffix(".zip") {
        _ = checker.check(path: folder + "/" + zip)
      }
    }
  }

  static func split(_ input: [UInt8]) -> (json: [UInt8]?, upload: [UInt8]) {
    guard input.count >= separator.count else { return (nil, input) }
    for start in 0...(input.count - separator.count) where input[start] == separator[0] {
      if Array(input[start..<start + separator.count]) == separator {
        return (Array(input[..<start]), Array(input[(start + separator.count)...]))
      }
    }
    return (nil, input)
  }

  static func guessExtension(_ upload: [UInt8]) -> String {
    if upload.starts(with: Array("%PDF".utf8)) { return "pdf" }
    if upload.starts(with: [0x89, 0x50, 0x4E, 0x47]) { return "png" }
    if upload.starts(with: [0xFF, 0xD8]) { return "jpg" }
    if upload.count > 8, Array(upload[4..<8]) == Array("ftyp".utf8) { return "mp4" }
    if upload.starts(with: Array("ID3".utf8)) || upload.starts(with: [0xFF, 0xFB]) { return "mp3" }
    return "pdf"
  }

  static func template(_ name: String) -> [UInt8] {
    let role = name.hasSuffix(".mp4") || name.hasSuffix(".mp3") ? "media" : "document"
    return Array(
      #"{"itemId":"mp-112-0001","kind":"multiple-performance","academicYear":112,"category":"works","title":"作品","summary":"摘要","startDate":"2023-09-01","uploadedAt":"2023-10-01T10:00:00+08:00","selected":true,"files":[{"name":"\#(name)","role":"\#(role)"}]}"#
        .utf8)
  }

  static func write(_ path: String, _ bytes: [UInt8]) {
    FileManager.default.createFile(atPath: path, contents: Data(bytes))
  }
}
