/// The content checks on bytes already in memory, for harnesses that feed them hostile input
/// (the fuzzer): the same parsers and limits `validate` uses, without a drop.
public enum ContentChecks {
  /// The bundled policy's limits (its pixel cap).
  static let limits = (try? PolicyTable.bundled())?.images ?? ParseLimits(maxPixels: 100_000_000)

  /// What the parser for `mime` finds in `bytes`, under the bundled policy's limits.
  public static func facts(of bytes: UnsafeRawBufferPointer, as mime: String) -> ContentFacts {
    FormatParsers.inspect(mime: mime, bytes, limits: limits)
  }

  /// Why `bytes` are not a strict item.json, or `nil`.
  public static func itemJSONProblem(_ bytes: UnsafeRawBufferPointer) -> String? {
    StrictJSON.problem(in: Array(bytes))?.english
  }
}
