/// `package-not-built`: a student whose package could not be made this run (their manifest
/// broke the schema, or a file changed or vanished while it was being packaged). That student
/// gets no package — and last run's package and receipt are removed — while everybody else's
/// packages are written as usual.
enum PackageNotBuilt: FindingRule {
  static let code = Finding.Code.packageNotBuilt

  static func breaksSchema(student: String, package: String, issues: [String]) -> Finding {
    let first = issues.prefix(3).joined(separator: "; ")
    return Finding(
      Self.self, FindingPlace(studentNumber: student, file: package),
      zh: "你的資料有欄位不符合中央資料庫的格式，這次無法產生你的封包。學校資訊組會依報告修正；修正後下次檢查會自動產生。",
      en: "\(package): the manifest of student \(student) breaks the schema (\(first)); no package was written "
        + "for this student. Fix the data the issues name, then rerun.",
      evidence: Evidence(observed: first, expected: "valid against manifest-v1.xsd", source: "libxml2 XSD"),
      details: ["issues": issues.prefix(20).joined(separator: " | ")])
  }

  static func sourceChanged(student: String, package: String, path: String, reason: String) -> Finding {
    Finding(
      Self.self, FindingPlace(studentNumber: student, file: package),
      zh: "你的檔案在打包時被更改或刪除了（可能正在重新上傳），這次沒有產生你的封包；下次檢查會重新打包。",
      en: "\(package): \(path) changed or vanished while student \(student)'s package was written (\(reason)); "
        + "no package was written for this student. Rerun when the upload has finished.",
      evidence: Evidence(observed: reason, expected: "the file as validated", source: path),
      details: ["source": path])
  }

  /// The archive could not be written although every source was as validated and the output
  /// folder is usable (twice in a row): nothing the student did, and not a changed upload.
  static func writeFailed(student: String, package: String, reason: String) -> Finding {
    Finding(
      Self.self, FindingPlace(studentNumber: student, file: package),
      zh: "這次打包時系統寫入封包失敗（不是你的檔案有問題），沒有產生你的封包；學校資訊組會看到原因，下次檢查會重新打包。",
      en: "\(package): writing student \(student)'s package failed twice although every source was as validated "
        + "(\(reason)); no package was written for this student. The next run tries again; if it fails again, "
        + "look into the error.",
      evidence: Evidence(observed: reason, expected: "the archive written", source: "libzip"),
      details: [:])
  }
}
