// The strict-JSON checker as it was before its scanner was made cheaper (c7d63d7), kept as the
// witness: the checker must find the same first problem, word for word, on any bytes. Its
// encoding check, positions and hex digits are the checker's own (unchanged by the rewrite).
import Foundation

@testable import PortfolioCore

/// What RFC 8259 forbids and Foundation's `JSONDecoder` lets through (a duplicate key, a
/// trailing comma, a lone surrogate escape, UTF-16 or a legacy encoding), found before the
/// decoder runs, so that an item.json means exactly one thing.
///
/// Keys are compared in NFC, as every other name is. One pass over the bytes, with an explicit stack of open containers (no recursion on input),
/// at most `maxDepth` levels. It only checks; the decoder builds the values afterwards.
enum ReferenceStrictJSON {
  /// Why the bytes are not strict JSON: the field (a key path such as `details.level`, or
  /// `JSON` when no key is concerned) and what is wrong, with the line and column.
  typealias Problem = StrictJSON.Problem

  static let maxDepth = 64
  static let trueWord = Array("true".utf8)
  static let falseWord = Array("false".utf8)
  static let nullWord = Array("null".utf8)
  /// The one-character escapes of RFC 8259 §7 and what they stand for.
  static let simpleEscapes: [UInt8: Unicode.Scalar] = [
    UInt8(ascii: "\""): "\"", UInt8(ascii: "\\"): "\\", UInt8(ascii: "/"): "/", UInt8(ascii: "b"): "\u{08}",
    UInt8(ascii: "f"): "\u{0C}", UInt8(ascii: "n"): "\n", UInt8(ascii: "r"): "\r", UInt8(ascii: "t"): "\t",
  ]

  /// The first problem in `bytes`, or `nil` when they are one strict JSON value. A leading UTF-8
  /// byte-order mark is allowed.
  static func problem(in bytes: [UInt8]) -> Problem? {
    if let encoding = StrictJSON.foreignEncoding(bytes) {
      return Problem(field: "JSON", english: "the file is saved as \(encoding), not UTF-8")
    }
    let start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    if let bad = firstInvalidUTF8(bytes, from: start) {
      return Problem(
        field: "JSON",
        english: "byte 0x\(StrictJSON.hex(bytes[bad])) at \(StrictJSON.position(bad, in: bytes)) is not UTF-8 "
          + "(the file is saved in another encoding, such as Big5)")
    }
    var scanner = Scanner(bytes: bytes, at: start)
    return scanner.run()
  }

  static func firstInvalidUTF8(_ bytes: [UInt8], from start: Int) -> Int? {
    var iterator = bytes[start...].makeIterator()
    var parser = Unicode.UTF8.ForwardParser()
    var offset = start
    while true {
      switch parser.parseScalar(from: &iterator) {
      case .valid(let scalar): offset += scalar.count
      case .emptyInput: return nil
      case .error: return offset
      }
    }
  }
}

extension ReferenceStrictJSON {
  /// One open container: an object (its keys so far) or an array.
  fileprivate enum Container {
    case object(keys: Set<String>, path: String)
    case array(path: String)

    var path: String {
      switch self {
      case .object(_, let path), .array(let path): path
      }
    }
  }

  fileprivate enum Expect {
    case value, firstKeyOrEnd, key, colon, firstValueOrEnd, commaOrEnd
  }

  fileprivate struct Scanner {
    let bytes: [UInt8]
    var at: Int
    var stack: [Container] = []
    var expect = Expect.value
    /// The key whose value comes next (for the path in messages).
    var pendingKey = ""
    var finished = false

    init(bytes: [UInt8], at: Int) {
      self.bytes = bytes
      self.at = at
    }

    func fail(_ english: String, at offset: Int, field: String? = nil) -> Problem {
      Problem(
        field: field ?? (stack.last.map(\.path).flatMap { $0.isEmpty ? nil : $0 } ?? "JSON"),
        english: "\(english) at \(StrictJSON.position(offset, in: bytes))")
    }

    func childPath(_ key: String) -> String {
      let parent = stack.last?.path ?? ""
      return parent.isEmpty ? key : parent + "." + key
    }

    mutating func run() -> Problem? {
      while true {
        skipWhitespace()
        guard at < bytes.count else {
          if finished { return nil }
          return fail(stack.isEmpty ? "the file holds no JSON value" : "the file ends inside the JSON", at: at)
        }
        if finished { return fail("text after the end of the JSON value", at: at) }
        if let problem = step() { return problem }
      }
    }

    mutating func skipWhitespace() {
      while at < bytes.count {
        switch bytes[at] {
        case 0x20, 0x09, 0x0A, 0x0D: at += 1
        default: return
        }
      }
    }

    /// One token, judged by what may come here.
    mutating func step() -> Problem? {
      let byte = bytes[at]
      switch expect {
      case .firstKeyOrEnd where byte == UInt8(ascii: "}"), .firstValueOrEnd where byte == UInt8(ascii: "]"):
        return close(byte)
      case .firstKeyOrEnd, .key:
        guard byte == UInt8(ascii: "\"") else {
          if byte == UInt8(ascii: "}") { return fail("a comma before \"}\" (trailing comma)", at: at) }
          if byte == UInt8(ascii: ",") { return fail("two commas in a row", at: at) }
          return fail("expected a key in double quotes", at: at)
        }
        return readKey()
      case .colon:
        guard byte == UInt8(ascii: ":") else { return fail("expected \":\" after the key", at: at) }
        at += 1
        expect = .value
        return nil
      case .commaOrEnd:
        if byte == UInt8(ascii: ",") {
          at += 1
          if case .object = stack.last { expect = .key } else { expect = .value }
          return nil
        }
        return close(byte)
      case .value, .firstValueOrEnd:
        if byte == UInt8(ascii: "]"), expect == .value, case .array = stack.last {
          return fail("a comma before \"]\" (trailing comma)", at: at)
        }
        return readValue()
      }
    }

    mutating func close(_ byte: UInt8) -> Problem? {
      switch (stack.last, byte) {
      case (.object, UInt8(ascii: "}")), (.array, UInt8(ascii: "]")):
        at += 1
        stack.removeLast()
        valueEnded()
        return nil
      default:
        return fail("expected \",\" or the end of the \(stack.last.map(kind) ?? "value")", at: at)
      }
    }

    func kind(_ container: Container) -> String {
      if case .object = container { return "object" }
      return "array"
    }

    mutating func valueEnded() {
      if stack.isEmpty { finished = true } else { expect = .commaOrEnd }
    }

    mutating func readKey() -> Problem? {
      let start = at
      switch readString() {
      case .failure(let problem): return problem
      case .success(let key):
        guard case .object(var keys, let path) = stack.removeLast() else { return nil }
        let canonical = key.nfc
        let inserted = keys.insert(canonical).inserted
        stack.append(.object(keys: keys, path: path))
        if !inserted {
          return fail("the key \"\(key)\" appears twice in the same object", at: start, field: childPath(key))
        }
        pendingKey = key
        expect = .colon
        return nil
      }
    }

    mutating func readValue() -> Problem? {
      let byte = bytes[at]
      switch byte {
      case UInt8(ascii: "{"), UInt8(ascii: "["):
        guard stack.count < ReferenceStrictJSON.maxDepth else {
          return fail("nested deeper than \(ReferenceStrictJSON.maxDepth) levels", at: at)
        }
        // The path of a container, for messages about what is inside it (a scalar needs none).
        let path: String
        switch stack.last {
        case .object: path = childPath(pendingKey)
        case .array(let parent): path = parent
        case nil: path = ""
        }
        at += 1
        if byte == UInt8(ascii: "{") {
          stack.append(.object(keys: [], path: path))
          expect = .firstKeyOrEnd
        } else {
          stack.append(.array(path: path))
          expect = .firstValueOrEnd
        }
        return nil
      case UInt8(ascii: "\""):
        if case .failure(let problem) = readString() { return problem }
      case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
        if let problem = readNumber() { return problem }
      case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
        let word =
          byte == UInt8(ascii: "t")
          ? ReferenceStrictJSON.trueWord
          : byte == UInt8(ascii: "f") ? ReferenceStrictJSON.falseWord : ReferenceStrictJSON.nullWord
        guard bytes[at...].starts(with: word) else { return fail("not a JSON value", at: at) }
        at += word.count
      default:
        if byte == UInt8(ascii: "}") || byte == UInt8(ascii: ",") {
          return fail("a value is missing (an extra or trailing comma?)", at: at)
        }
        return fail(byte == UInt8(ascii: "'") ? "single quotes are not JSON" : "not a JSON value", at: at)
      }
      valueEnded()
      return nil
    }

    /// A string from its opening quote: escapes decoded, surrogates paired, no raw control
    /// characters.
    mutating func readString() -> Result<String, Problem> {
      let start = at
      at += 1
      var scalars = String.UnicodeScalarView()
      var escaped = false
      var runStart = at
      func flush(_ end: Int) {
        if end > runStart {
          scalars.append(contentsOf: String(decoding: bytes[runStart..<end], as: UTF8.self).unicodeScalars)
        }
      }
      while at < bytes.count {
        let byte = bytes[at]
        if byte == UInt8(ascii: "\"") {
          // Without an escape the string is its bytes (most strings): no scalar-by-scalar copy.
          let text = escaped ? nil : String(decoding: bytes[runStart..<at], as: UTF8.self)
          if escaped { flush(at) }
          at += 1
          return .success(text ?? String(scalars))
        }
        if byte < 0x20 {
          return .failure(fail("a raw control character (0x\(StrictJSON.hex(byte))) inside a string", at: at))
        }
        if byte != UInt8(ascii: "\\") {
          at += 1
          continue
        }
        flush(at)
        escaped = true
        guard at + 1 < bytes.count else { break }
        let escape = bytes[at + 1]
        if let scalar = ReferenceStrictJSON.simpleEscapes[escape] {
          scalars.append(scalar)
          at += 2
        } else if escape == UInt8(ascii: "u") {
          switch readUnicodeEscape() {
          case .failure(let problem): return .failure(problem)
          case .success(let scalar): scalars.append(scalar)
          }
        } else {
          return .failure(fail("\"\\\(String(UnicodeScalar(escape)))\" is not a JSON escape", at: at))
        }
        runStart = at
      }
      return .failure(fail("a string is not closed", at: start))
    }

    func hexValue(at offset: Int) -> UInt32? {
      guard offset + 4 <= bytes.count else { return nil }
      var value: UInt32 = 0
      for byte in bytes[offset..<offset + 4] {
        guard let digit = Character(UnicodeScalar(byte)).hexDigitValue else { return nil }
        value = value << 4 | UInt32(digit)
      }
      return value
    }

    /// `\uXXXX`, or a high and low surrogate pair `\uD83D\uDE00`.
    mutating func readUnicodeEscape() -> Result<Unicode.Scalar, Problem> {
      let start = at
      guard let first = hexValue(at: at + 2) else {
        return .failure(fail("\"\\u\" needs four hex digits", at: start))
      }
      at += 6
      switch first {
      case 0xD800...0xDBFF:
        guard bytes[at...].starts(with: [UInt8(ascii: "\\"), UInt8(ascii: "u")]), let second = hexValue(at: at + 2),
          (0xDC00...0xDFFF).contains(second)
        else {
          return .failure(fail("a lone surrogate \\u\(String(first, radix: 16, uppercase: true))", at: start))
        }
        at += 6
        let value = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
        guard let scalar = Unicode.Scalar(value) else { return .failure(fail("an invalid escape", at: start)) }
        return .success(scalar)
      case 0xDC00...0xDFFF:
        return .failure(fail("a lone surrogate \\u\(String(first, radix: 16, uppercase: true))", at: start))
      default:
        guard let scalar = Unicode.Scalar(first) else { return .failure(fail("an invalid escape", at: start)) }
        return .success(scalar)
      }
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`
    mutating func readNumber() -> Problem? {
      let start = at
      func digits() -> Int {
        let from = at
        while at < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[at]) { at += 1 }
        return at - from
      }
      if bytes[at] == UInt8(ascii: "-") { at += 1 }
      let leadingZero = at < bytes.count && bytes[at] == UInt8(ascii: "0")
      let integer = digits()
      guard integer > 0, !(leadingZero && integer > 1) else {
        return fail(integer == 0 ? "a number without digits" : "a number with a leading zero", at: start)
      }
      if at < bytes.count, bytes[at] == UInt8(ascii: ".") {
        at += 1
        guard digits() > 0 else { return fail("a number ends in \".\"", at: start) }
      }
      if at < bytes.count, bytes[at] | 0x20 == UInt8(ascii: "e") {
        at += 1
        if at < bytes.count, bytes[at] == UInt8(ascii: "+") || bytes[at] == UInt8(ascii: "-") { at += 1 }
        guard digits() > 0 else { return fail("a number's exponent has no digits", at: start) }
      }
      return nil
    }
  }
}
