/// The verdict on one file: `rejected` when the file or its item has an error.
public enum Verdict: String, Codable, Sendable {
  case accepted, rejected
}
