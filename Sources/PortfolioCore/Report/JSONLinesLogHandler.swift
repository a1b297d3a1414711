import Foundation
import Logging

/// Quiet structured logs for runs without a terminal: one JSON object per line on stderr.
/// Callers never put names or ID numbers in messages or metadata.
public struct JSONLinesLogHandler: LogHandler {
  public var metadata: Logger.Metadata = [:]
  public var logLevel: Logger.Level = .info
  let label: String

  public init(label: String) { self.label = label }

  public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
    get { metadata[key] }
    set { metadata[key] = newValue }
  }

  public func log(event: LogEvent) {
    var fields: [String: String] = ["level": event.level.rawValue, "message": "\(event.message)", "logger": label]
    fields["time"] = ISO8601DateFormatter().string(from: Date())
    for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { _, new in new }) {
      fields[key] = "\(value)"
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    if let data = try? encoder.encode(fields) { FileHandle.standardError.write(data + Data([0x0A])) }
  }
}
