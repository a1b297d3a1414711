/// `extension-mismatch` (warning): allowed content under the wrong extension (a JPEG named
/// `.png`). It is packaged under the extension of its real type.
enum ExtensionMismatch: FileRule {
  static let code = Finding.Code.extensionMismatch

  static func check(_ file: RuleFile, of item: RuleItem, in context: RuleContext) -> [Finding] {
    let ext = file.claimedExtension
    guard let type = ContentType(mime: file.inspection.mime), !type.extensions.contains(ext) else { return [] }
    let shownExt = ext.isEmpty ? "（沒有副檔名）" : ".\(ext)"
    let better = type.packageExtension
    return [
      Finding(
        Self.self, file.place,
        zh:
          "「\(file.name)」的內容是\(ContentNames.afterChinese(type.zh))，但副檔名是 \(shownExt)。檔案可以使用；建議改成 .\(better)，以免其他系統打不開。",
        en: "\(file.place.file ?? file.name) is \(type.en) (libmagic: \(type.mime)) named \(shownExt); "
          + "accepted, and packaged as .\(better).",
        evidence: Evidence(
          observed: "libmagic: \(type.mime)", expected: ext.isEmpty ? "no extension" : "name says .\(ext)",
          source: "libmagic"),
        details: ["mime": type.mime, "extension": ext])
    ]
  }
}
