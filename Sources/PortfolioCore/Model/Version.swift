/// The program version, recorded in every report and package.
public enum PortfolioVersion { public static let current = "0.1.0" }
