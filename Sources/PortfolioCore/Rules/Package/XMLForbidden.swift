/// `xml-forbidden`: a DOCTYPE, entities or XInclude in a manifest (never expanded).
enum XMLForbidden: FindingRule {
  static let code = Finding.Code.xmlForbidden

  static func finding(_ place: PackagePlace, _ error: String, issues: String) -> Finding {
    Finding(
      Self.self, place, zh: "manifest.xml 含有被禁止的 XML 結構（DOCTYPE 或實體）。", en: error,
      evidence: Evidence(observed: error, expected: "no DOCTYPE or entities", source: "libxml2"),
      details: ["issues": issues])
  }
}
