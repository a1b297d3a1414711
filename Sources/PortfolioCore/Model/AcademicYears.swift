/// The academic years (民國) the program accepts: from 108, the first year of the portfolio
/// (108 課綱), to 199. One range for the tables, item.json, the command line and pipelines.
public enum AcademicYears {
  public static let valid: ClosedRange<Int> = 108...199
  /// The range as messages give it: "108–199".
  public static let text = "\(valid.lowerBound)–\(valid.upperBound)"
  /// The range as the command line says it: "from 108 to 199".
  public static let words = "from \(valid.lowerBound) to \(valid.upperBound)"
  /// The terms of an academic year.
  public static let terms: ClosedRange<Int> = 1...2
}
