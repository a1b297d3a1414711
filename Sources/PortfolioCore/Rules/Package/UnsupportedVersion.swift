/// `unsupported-version`: a manifest of another major version of the field specification.
enum UnsupportedVersion: FindingRule {
  static let code = Finding.Code.unsupportedVersion

  static func finding(_ place: PackagePlace, version: String) -> Finding {
    Finding(
      Self.self, place, zh: "封包規格版本 \(version) 不受支援（本程式支援 1.x）。",
      en: "specVersion \(version) is not supported; this reader accepts 1.x",
      evidence: Evidence(observed: version, expected: "1.x", source: "manifest.xml specVersion"),
      details: ["specVersion": version])
  }
}
