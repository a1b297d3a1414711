/// `schema-invalid`: the manifest breaks the XSD, is not well-formed, has the wrong root or
/// namespace, or lists a file under a path the specification does not give it.
enum SchemaInvalid: FindingRule {
  static let code = Finding.Code.schemaInvalid

  static func notXML(_ place: PackagePlace, _ error: String, issues: String) -> Finding {
    Finding(
      Self.self, place, zh: "manifest.xml 不是正確的 XML。", en: error,
      evidence: Evidence(observed: error, expected: "well-formed XML", source: "libxml2"), details: ["issues": issues])
  }

  static func notAPackage(_ place: PackagePlace, namespace: String) -> Finding {
    Finding(
      Self.self, place, zh: "manifest.xml 不是學習歷程封包清單。",
      en: "the root element must be portfolioPackage in namespace \(namespace)",
      evidence: Evidence(expected: "portfolioPackage in \(namespace)", source: "manifest.xml"))
  }

  static func breaksSchema(_ place: PackagePlace, count: Int, first: String, issues: String) -> Finding {
    Finding(
      Self.self, place, zh: "manifest.xml 不符合欄位規格（共 \(count) 處）。", en: "breaks the XSD: " + first,
      evidence: Evidence(observed: first, expected: "valid against manifest-v1.xsd", source: "libxml2 XSD"),
      details: ["issues": issues])
  }

  static func wrongPath(_ place: PackagePlace, expected: String) -> Finding {
    Finding(
      Self.self, place, zh: "清單中的檔案路徑與規格不符。", en: "the path should be \(expected)",
      evidence: Evidence(observed: place.entry, expected: expected, source: "field specification §1"))
  }

  static func centralWithoutYear(_ place: PackagePlace) -> Finding {
    Finding(
      Self.self, place, zh: "中央封包缺少學年度。", en: "a central package needs header/academicYear",
      evidence: Evidence(expected: "header/academicYear", source: "field specification §2"))
  }
}
