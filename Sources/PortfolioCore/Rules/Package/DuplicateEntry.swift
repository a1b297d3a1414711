/// `duplicate-entry`: a name that appears twice in the archive or the manifest, also after NFC
/// and case folding.
enum DuplicateEntry: FindingRule {
  static let code = Finding.Code.duplicateEntry

  static func twice(_ place: PackagePlace) -> Finding {
    Finding(
      Self.self, place, zh: "有重複的項目。", en: "the name appears more than once",
      evidence: Evidence(observed: "two entries of one name", expected: "unique names", source: "central directory"))
  }

  static func folded(_ place: PackagePlace, sameAs other: String) -> Finding {
    Finding(
      Self.self, place, zh: "有名稱相同（大小寫或 Unicode 正規化後）的項目。", en: "same name as \(other) after NFC and case folding",
      evidence: Evidence(
        observed: "same as \(other)", expected: "unique names after NFC and case folding", source: "central directory"))
  }

  static func listedTwice(_ place: PackagePlace) -> Finding {
    Finding(
      Self.self, place, zh: "清單中的檔案路徑重複。", en: "the manifest lists this path twice",
      evidence: Evidence(observed: "listed twice", expected: "each path once", source: "manifest.xml"))
  }
}
