/// The academic years (民國) the program accepts: from 108, the first year of the portfolio
/// (108 課綱), to 199. One range for the tables, item.json, the command line and pipelines.
public enum AcademicYears {
  public static let valid: ClosedRange<Int> = 108...199
  /// The terms of an academic year.
  public static let terms: ClosedRange<Int> = 1...2
}
