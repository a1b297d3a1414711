/// `not-a-regular-file`: a symlink, FIFO, socket, device, or a folder where a file is expected.
/// Such an entry is never opened.
enum NotARegularFile: FindingRule {
  static let code = Finding.Code.notARegularFile

  static func finding(_ place: FindingPlace, kind: EntryKind) -> Finding {
    Finding(
      Self.self, place,
      zh: "「\(place.label)」是\(kind.chinese)，不是一般檔案，系統不會開啟它。請重新上傳檔案本身。",
      en: "\(place.file ?? place.label) is a \(kind.rawValue), not a regular file; it was not opened. "
        + "Remove it from the drop directory or have the student re-upload the file itself.",
      evidence: Evidence(observed: kind.rawValue, expected: "a regular file", source: "lstat"),
      details: ["entryKind": kind.rawValue])
  }
}
