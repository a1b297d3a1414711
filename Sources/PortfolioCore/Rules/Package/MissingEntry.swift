/// `missing-entry`: the manifest, or a file the manifest lists, is not in the archive.
enum MissingEntry: FindingRule {
  static let code = Finding.Code.missingEntry

  static func noManifest(_ place: PackagePlace) -> Finding {
    Finding(
      Self.self, place, zh: "缺少 manifest.xml。", en: "there is no manifest.xml",
      evidence: Evidence(observed: "no manifest.xml", expected: "manifest.xml first", source: "central directory"))
  }

  static func listedAbsent(_ place: PackagePlace) -> Finding {
    Finding(
      Self.self, place, zh: "清單列出的檔案不在封包中。", en: "listed in the manifest but absent",
      evidence: Evidence(observed: "no such entry", expected: place.entry, source: "manifest.xml"))
  }
}
