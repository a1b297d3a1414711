/// `hash-mismatch`: an entry's SHA-256 differs from the manifest's.
enum HashMismatch: FindingRule {
  static let code = Finding.Code.hashMismatch

  static func finding(_ place: PackagePlace, actual: String, listed: String) -> Finding {
    Finding(
      Self.self, place, zh: "檔案內容與清單記錄的 SHA-256 不符（檔案被改過）。",
      en: "SHA-256 \(actual.prefix(12))… differs from the manifest's \(listed.prefix(12))…",
      evidence: Evidence(observed: "SHA-256 \(actual)", expected: "SHA-256 \(listed)", source: "manifest.xml"))
  }
}
