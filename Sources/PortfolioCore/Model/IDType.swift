/// The kind of ID number in `students.csv` and a manifest's `idNumber/@type`.
public enum IDType: String, Codable, Sendable, CaseIterable {
  /// 身分證統一編號: checksum-checked.
  case nationalID = "national-id"
  /// 居留證統一證號 (old and 2021 forms): checksum-checked.
  case residentCertificate = "resident-certificate"
  /// Anything else (a passport number): not checked.
  case other
}
