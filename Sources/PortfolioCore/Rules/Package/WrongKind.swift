/// `wrong-kind`: content a package of its kind must not hold (consultation records, unselected
/// items or another year's items in a central package), or a central package given to import.
enum WrongKind: FindingRule {
  static let code = Finding.Code.wrongKind

  static func consultationsInCentral(_ place: PackagePlace) -> Finding {
    Finding(
      Self.self, place, zh: "中央封包不可包含課程諮詢紀錄。", en: "a central package holds consultationRecords",
      evidence: Evidence(observed: "consultationRecords", expected: "none in a central package", source: "manifest.xml")
    )
  }

  static func notSelected(_ place: PackagePlace, id: String) -> Finding {
    Finding(
      Self.self, place, zh: "中央封包含有未勾選的項目 \(id)。", en: "\(id) is not selected but is in a central package",
      evidence: Evidence(observed: "selected false", expected: "only selected items", source: "manifest.xml"))
  }

  static func otherYear(_ place: PackagePlace, id: String, itemYear: Int, year: Int) -> Finding {
    Finding(
      Self.self, place, zh: "項目 \(id) 不屬於 \(year) 學年度。", en: "\(id) is of \(itemYear), not \(year)",
      evidence: Evidence(
        observed: "academic year \(itemYear)", expected: "academic year \(year)", source: "manifest.xml"))
  }

  static func centralGivenToImport(package name: String) -> Finding {
    Finding(
      Self.self, FindingPlace(file: name), zh: "轉入封包「\(name)」：這是中央資料庫封包，不是轉學生的轉出封包。",
      en: "\(name): a central package cannot be imported; a transfer package is needed",
      evidence: Evidence(observed: "kind central", expected: "kind transfer", source: "manifest.xml"))
  }
}
