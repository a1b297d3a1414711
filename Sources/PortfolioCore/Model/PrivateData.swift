/// Masks personal data before it reaches a log, a file name or a student-facing report.
public enum PrivateData {
  /// `A123456789` → `A12****789`: the first three and last three characters stay, so staff
  /// can tell records apart; the rest is starred. Short values are fully starred.
  public static func maskIDNumber(_ id: String) -> String {
    let characters = Array(id)
    guard characters.count >= 8 else { return String(repeating: "*", count: characters.count) }
    let hidden = characters.count - 6
    return String(characters.prefix(3)) + String(repeating: "*", count: hidden)
      + String(characters.suffix(3))
  }
}
