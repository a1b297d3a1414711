/// What the bytes after a format's end are: padding, a second format that is really there
/// (`polyglot`), or other undeclared data (`trailing-data`, a warning). Two bytes `MZ` inside
/// compressed data are not a Windows executable: a format counts only by its signature at the
/// start of the trailing bytes, or by a structure that proves it where it is found (a PE header
/// that `MZ` points to, a ZIP whose end record points to its central directory).
enum TrailingBytes {
  /// The problem the bytes after `format`'s end make, or `nil` for padding.
  static func problem(_ tail: UnsafeRawBufferPointer, after format: String) -> ContentProblem? {
    guard !FormatParsers.isPadding(tail) else { return nil }
    if let hidden = formatAtStart(tail) ?? provenFormat(tail) {
      return .polyglot("\(hidden) after \(format)")
    }
    return .trailingData("\(tail.count) bytes of undeclared data after \(format)")
  }

  /// A second format whose signature begins the trailing bytes (after padding).
  static func formatAtStart(_ tail: UnsafeRawBufferPointer) -> String? {
    var start = 0
    while start < tail.count, [0x00, 0x09, 0x0A, 0x0D, 0x20].contains(tail[start]) { start += 1 }
    let rest = tail.slice(start..<tail.count)
    let signatures: [(String, [UInt8])] = [
      ("a ZIP archive", [0x50, 0x4B, 0x03, 0x04]), ("a PDF", Array("%PDF-".utf8)),
      ("a Windows executable", [0x4D, 0x5A]), ("a Linux executable", [0x7F, 0x45, 0x4C, 0x46]),
      ("a RAR archive", Array("Rar!".utf8)), ("a 7-Zip archive", [0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C]),
      ("a gzip archive", [0x1F, 0x8B, 0x08]),
    ]
    for (name, signature) in signatures where rest.starts(with: signature) { return name }
    let text = String(decoding: rest.slice(0..<min(rest.count, 64)), as: UTF8.self).lowercased()
    for (name, marker) in [("HTML", "<html"), ("HTML", "<!doctype html"), ("a script", "<script")]
    where text.hasPrefix(marker) {
      return name
    }
    return nil
  }

  /// A format proved by its own structure somewhere in the trailing bytes, with its position.
  static func provenFormat(_ tail: UnsafeRawBufferPointer) -> String? {
    var from = 0
    let mz: [UInt8] = [0x4D, 0x5A]
    while let at = ByteSearch.firstIndex(of: mz, in: tail, from: from) {
      from = at + 1
      guard at + 0x40 <= tail.count else { break }
      let lfanew =
        Int(tail[at + 0x3C]) | Int(tail[at + 0x3D]) << 8 | Int(tail[at + 0x3E]) << 16
        | Int(tail[at + 0x3F]) << 24
      guard lfanew >= 0x40, lfanew < 1 << 16, at + lfanew + 4 <= tail.count else { continue }
      if tail.slice((at + lfanew)..<(at + lfanew + 4)).elementsEqual([0x50, 0x45, 0x00, 0x00]) {
        return "a Windows executable (at byte \(at) of the trailing data)"
      }
    }
    // A ZIP: its end record (in the last 64 KiB) points back to a central directory entry.
    let window = tail.slice(max(0, tail.count - 65_557)..<tail.count)
    if let end = ByteSearch.lastIndex(of: [0x50, 0x4B, 0x05, 0x06], in: window), end + 22 <= window.count {
      let size = window.littleEndian32(end + 12)
      let directory = (tail.count - window.count) + end - size
      if size > 0, directory >= 0, directory + 4 <= tail.count,
        tail.slice(directory..<(directory + 4)).elementsEqual([0x50, 0x4B, 0x01, 0x02])
      {
        return "a ZIP archive (its central directory at byte \(directory) of the trailing data)"
      }
    }
    if let entry = zipCentralEntry(tail) {
      return "a ZIP archive (a central directory entry at byte \(entry) of the trailing data)"
    }
    for marker in ["<!doctype html", "<html", "<script"] {
      if let at = firstIndexIgnoringCase(of: Array(marker.utf8), in: tail) {
        return "HTML (at byte \(at) of the trailing data)"
      }
    }
    for (name, signature) in [("a PDF", Array("%PDF-1.".utf8)), ("a PDF", Array("%PDF-2.".utf8))] {
      if let at = ByteSearch.firstIndex(of: signature, in: tail) {
        return "\(name) (at byte \(at) of the trailing data)"
      }
    }
    return nil
  }
}

extension TrailingBytes {
  /// A ZIP central directory file header (`PK 01 02`) whose fields hold together: a version
  /// needed of at most 6.3, a known compression method, and a file name of 1–1,024 printable
  /// bytes that fits. Four bytes alone prove nothing; a header whose name reads is a ZIP.
  static func zipCentralEntry(_ tail: UnsafeRawBufferPointer) -> Int? {
    var from = 0
    while let at = ByteSearch.firstIndex(of: [0x50, 0x4B, 0x01, 0x02], in: tail, from: from) {
      from = at + 1
      guard at + 46 <= tail.count else { return nil }
      let needed = Int(tail[at + 6]) | Int(tail[at + 7]) << 8
      let method = Int(tail[at + 10]) | Int(tail[at + 11]) << 8
      let nameLength = Int(tail[at + 28]) | Int(tail[at + 29]) << 8
      guard needed <= 63, [0, 8, 9, 12, 14, 93, 95, 99].contains(method), (1...1024).contains(nameLength),
        at + 46 + nameLength <= tail.count
      else { continue }
      if tail.slice((at + 46)..<(at + 46 + nameLength)).allSatisfy({ $0 >= 0x20 && $0 != 0x7F }) { return at }
    }
    return nil
  }

  /// `needle` (lowercase ASCII) anywhere in `haystack`, ignoring ASCII case.
  static func firstIndexIgnoringCase(of needle: [UInt8], in haystack: UnsafeRawBufferPointer) -> Int? {
    guard let first = needle.first, haystack.count >= needle.count else { return nil }
    let lower = { (byte: UInt8) in (0x41...0x5A).contains(byte) ? byte | 0x20 : byte }
    var index = 0
    while index <= haystack.count - needle.count {
      if lower(haystack[index]) == first,
        needle.indices.dropFirst().allSatisfy({ lower(haystack[index + $0]) == needle[$0] })
      {
        return index
      }
      index += 1
    }
    return nil
  }
}

extension UnsafeRawBufferPointer {
  func littleEndian32(_ offset: Int) -> Int {
    Int(self[offset]) | Int(self[offset + 1]) << 8 | Int(self[offset + 2]) << 16 | Int(self[offset + 3]) << 24
  }
}
