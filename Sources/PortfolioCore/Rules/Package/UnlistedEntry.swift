/// `unlisted-entry`: an entry of the archive that the manifest does not list.
enum UnlistedEntry: FindingRule {
  static let code = Finding.Code.unlistedEntry

  static func finding(_ place: PackagePlace) -> Finding {
    Finding(
      Self.self, place, zh: "封包中有清單沒有列出的檔案。", en: "the entry is not listed in the manifest",
      evidence: Evidence(
        observed: place.entry, expected: "only the files manifest.xml lists", source: "central directory"))
  }
}
