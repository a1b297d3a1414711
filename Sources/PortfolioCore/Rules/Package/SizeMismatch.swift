/// `size-mismatch`: an entry's size differs from the manifest's.
enum SizeMismatch: FindingRule {
  static let code = Finding.Code.sizeMismatch

  static func finding(_ place: PackagePlace, actual: UInt64, listed: Int64) -> Finding {
    Finding(
      Self.self, place, zh: "檔案大小與清單不符。", en: "\(actual) bytes; the manifest says \(listed)",
      evidence: Evidence(observed: "\(actual) bytes", expected: "\(listed) bytes", source: "manifest.xml"))
  }
}
