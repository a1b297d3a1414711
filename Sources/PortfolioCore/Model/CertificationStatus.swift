/// Where a course outcome's certification (認證) stands.
public enum CertificationStatus: String, Codable, Sendable, CaseIterable {
  case pending, passed, returned
}
