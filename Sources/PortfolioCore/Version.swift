public enum PortfolioVersion { public static let current = "0.1.0" }
