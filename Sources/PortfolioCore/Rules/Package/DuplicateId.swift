/// `duplicate-id`: an item id that appears more than once in one package.
enum DuplicateId: FindingRule {
  static let code = Finding.Code.duplicateId

  static func finding(_ place: PackagePlace, id: String) -> Finding {
    Finding(
      Self.self, place, zh: "項目編號 \(id) 重複。", en: "item id \(id) appears more than once",
      evidence: Evidence(observed: id, expected: "unique item ids", source: "manifest.xml"))
  }
}
