import Foundation

/// Runs a system program as an independent witness (coreutils' digests, unzip, python3).
public enum SystemTool {
  /// Runs `path` with `arguments`, `input` (if any) on its standard input; returns its status and
  /// standard output.
  public static func run(_ path: String, _ arguments: [String] = [], input: Data? = nil) throws -> (
    status: Int32, output: Data
  ) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    let stdin = Pipe()
    let stdout = Pipe()
    if input != nil { process.standardInput = stdin }
    process.standardOutput = stdout
    try process.run()
    if let input {
      stdin.fileHandleForWriting.write(input)
      try stdin.fileHandleForWriting.close()
    }
    let output = stdout.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, output)
  }

  /// The lowercase hex digest coreutils prints for `data` (`tool` is `md5sum` or `sha256sum`).
  public static func digest(_ tool: String, of data: Data) throws -> String {
    let text = String(decoding: try run("/usr/bin/" + tool, input: data).output, as: UTF8.self)
    return String(text.prefix { $0 != " " })
  }
}
