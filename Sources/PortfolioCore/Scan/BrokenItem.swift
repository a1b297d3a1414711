import Foundation

/// What still tells a student which upload is meant when its item.json cannot be used: the
/// title, when the text is JSON with a string `title` (read leniently, only for this), and the
/// names of the files in the item's folder. Kept in the finding's details (`title`, `files`).
enum BrokenItem {
  /// At most this many file names are kept (a folder can hold many).
  static let namesKept = 3

  static func clues(itemJSON bytes: [UInt8], names: [DirectoryName]) -> [String: String] {
    var clues: [String: String] = [:]
    if let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any],
      let title = object["title"] as? String,
      case let shown = title.trimmingCharacters(in: .whitespacesAndNewlines), !shown.isEmpty, shown.count <= 200
    {
      clues["title"] = shown
    }
    let files = names.map(\.display).filter { $0 != "item.json" && !$0.hasPrefix(".") }.sorted()
    if !files.isEmpty { clues["files"] = files.prefix(namesKept).joined(separator: "、") }
    return clues
  }
}
