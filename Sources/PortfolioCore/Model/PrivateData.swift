/// Masks personal data before it reaches a log, a file name or a student-facing report.
public enum PrivateData {
  /// The shape of a personal value, for a message that must say what is wrong without showing
  /// it: digits become `#`, letters `A`/`a`, other characters `*`; punctuation stays
  /// (`14.5.2007` → `##.#.####`). At most 20 characters.
  public static func shape(_ value: String) -> String {
    String(
      value.prefix(20).map { character -> Character in
        if character.isASCII, character.isNumber { return "#" }
        if character.isASCII, character.isLetter { return character.isUppercase ? "A" : "a" }
        if character.isASCII, character.isPunctuation || character == " " || character.isSymbol { return character }
        return "*"
      })
  }

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
