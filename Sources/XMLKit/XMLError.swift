import CLibXML2

/// One problem libxml2 reported: where, how bad, and libxml2's own words.
public struct XMLIssue: Sendable, Equatable, CustomStringConvertible {
  /// 1-based line, 0 when libxml2 did not know it.
  public let line: Int
  /// 1-based column, 0 when unknown.
  public let column: Int
  /// libxml2's message, trimmed.
  public let message: String
  /// `true` for warnings, `false` for errors and fatal errors.
  public let isWarning: Bool

  public init(line: Int, column: Int = 0, message: String, isWarning: Bool = false) {
    self.line = line
    self.column = column
    self.message = message
    self.isWarning = isWarning
  }

  public var description: String { "line \(line): \(message)" }
}

/// An error of the XML module: what failed, and every issue libxml2 reported on the way.
public struct XMLError: Error, CustomStringConvertible, Sendable {
  /// The kind of failure, stable enough to map to finding codes.
  public enum Kind: String, Sendable {
    /// Not well-formed, wrong encoding, or over a parser limit (depth, text size).
    case notWellFormed = "not-well-formed"
    /// A DOCTYPE, an entity declaration or another construct we refuse on untrusted input.
    case forbiddenConstruct = "forbidden-construct"
    /// The document breaks its XML Schema.
    case schemaInvalid = "schema-invalid"
    /// The schema itself could not be read.
    case badSchema = "bad-schema"
    /// Text holds a character XML 1.0 forbids (a control character, U+FFFE, U+FFFF).
    case forbiddenCharacter = "forbidden-character"
    /// The text writer failed.
    case writer = "writer"
    /// The input is larger than the caller allowed.
    case tooLarge = "too-large"
  }

  public let kind: Kind
  /// A summary for staff.
  public let message: String
  /// Every issue libxml2 reported, in order.
  public let issues: [XMLIssue]

  public init(kind: Kind, message: String, issues: [XMLIssue] = []) {
    self.kind = kind
    self.message = message
    self.issues = issues
  }

  public var description: String {
    ([message] + issues.map { "  \($0)" }).joined(separator: "\n")
  }
}

/// Collects libxml2's structured errors for the duration of one call.
///
/// libxml2 keeps its error handler per thread; `collect` installs ours, runs the body and puts
/// the previous state back, so concurrent workers on other threads are unaffected.
final class IssueCollector {
  var issues: [XMLIssue] = []
  /// Caps what one hostile document can make us hold.
  let limit = 1000

  static let handler: xmlStructuredErrorFunc = { context, error in
    guard let context, let error else { return }
    let collector = Unmanaged<IssueCollector>.fromOpaque(context).takeUnretainedValue()
    collector.record(error.pointee)
  }

  func record(_ error: xmlError) {
    guard issues.count < limit else { return }
    let text = error.message.map { String(cString: $0) } ?? "unknown libxml2 error"
    issues.append(
      XMLIssue(
        line: Int(error.line), column: Int(error.int2),
        message: text.trimmingCharacters(in: " \n"),
        isWarning: error.level == XML_ERR_WARNING))
  }

  func withInstalled<T>(_ body: () throws -> T) rethrows -> T {
    let context = Unmanaged.passUnretained(self).toOpaque()
    xmlSetStructuredErrorFunc(context, IssueCollector.handler)
    defer { xmlSetStructuredErrorFunc(nil, nil) }
    return try withExtendedLifetime(self) { try body() }
  }

  var errors: [XMLIssue] { issues.filter { !$0.isWarning } }
}

extension String {
  fileprivate func trimmingCharacters(in set: String) -> String {
    var scalars = Substring(self)
    while let first = scalars.first, set.contains(first) { scalars.removeFirst() }
    while let last = scalars.last, set.contains(last) { scalars.removeLast() }
    return String(scalars)
  }
}
