/// Where a package-level finding points, and how its messages begin: every message names the
/// package (and the entry), since a staff member may check many at once.
struct PackagePlace {
  let package: String
  var entry: String?
  var item: String?

  init(_ package: String, entry: String? = nil, item: String? = nil) {
    self.package = package
    self.entry = entry
    self.item = item
  }

  var findingPlace: FindingPlace {
    FindingPlace(itemId: item, file: entry.map { "\(package):\($0)" } ?? package)
  }

  var details: [String: String] { entry.map { ["entry": $0] } ?? [:] }
}

extension Finding {
  /// A package-level finding of `rule`: the package named first in both languages.
  init<Rule: FindingRule>(
    _ rule: Rule.Type, _ place: PackagePlace, zh: String, en: String, evidence: Evidence = .none,
    details: [String: String] = [:]
  ) {
    self.init(
      rule, place.findingPlace, zh: "封包「\(place.package)」：\(zh)",
      en: "\(place.package)\(place.entry.map { ": \($0)" } ?? ""): \(en)", evidence: evidence,
      details: details.merging(place.details) { own, _ in own })
  }
}
