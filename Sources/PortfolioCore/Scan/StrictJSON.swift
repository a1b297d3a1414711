import Foundation

/// What RFC 8259 forbids and Foundation's `JSONDecoder` lets through (a duplicate key, a
/// trailing comma, a lone surrogate escape, UTF-16 or a legacy encoding), found before the
/// decoder runs, so that an item.json means exactly one thing.
///
/// Keys are compared in NFC, as every other name is. One pass over the bytes, with an explicit stack of open containers (no recursion on input),
/// at most `maxDepth` levels. It only checks; the decoder builds the values afterwards.
enum StrictJSON {
  /// Why the bytes are not strict JSON: the field (a key path such as `details.level`, or
  /// `JSON` when no key is concerned) and what is wrong, with the line and column.
  struct Problem: Error, Equatable, Sendable {
    let field: String
    let english: String
  }

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
    if let encoding = foreignEncoding(bytes) {
      return Problem(field: "JSON", english: "the file is saved as \(encoding), not UTF-8")
    }
    let start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    if let bad = firstInvalidUTF8(bytes, from: start) {
      return Problem(
        field: "JSON",
        english: "byte 0x\(hex(bytes[bad])) at \(position(bad, in: bytes)) is not UTF-8 "
          + "(the file is saved in another encoding, such as Big5)")
    }
    var scanner = Scanner(bytes: bytes, at: start)
    return scanner.run()
  }
}

extension StrictJSON {
  /// One open container: an object or an array, with the key it is the value of (when its parent
  /// is an object) and, for an object, where its keys begin in the scanner's list of keys.
  fileprivate struct Container {
    let isObject: Bool
    let key: String?
    let firstKey: Int
    /// An object's keys once it has more than `Scanner.listedKeys` of them (looked up, not walked).
    var keySet: Set<String>?
  }

  fileprivate enum Expect {
    case value, firstKeyOrEnd, key, colon, firstValueOrEnd, commaOrEnd
  }

  fileprivate struct Scanner {
    let bytes: [UInt8]
    var at: Int
    var stack: [Container] = []
    /// The keys (in NFC) of every open object, each object's after its parent's.
    var keys: [String] = []
    var expect = Expect.value
    /// The key whose value comes next (for the path in messages).
    var pendingKey = ""
    var finished = false
    /// An object's keys are compared one by one up to this many, then looked up in a set.
    static let listedKeys = 32

    init(bytes: [UInt8], at: Int) {
      self.bytes = bytes
      self.at = at
    }

    func fail(_ english: String, at offset: Int, field: String? = nil) -> Problem {
      let path = self.path(of: stack.count)
      return Problem(
        field: field ?? (path.isEmpty ? "JSON" : path),
        english: "\(english) at \(StrictJSON.position(offset, in: bytes))")
    }

    /// The key path of the innermost `depth` containers (`details.level`): each object's key
    /// after its parent's, an array's the path of its parent.
    func path(of depth: Int) -> String {
      stack.prefix(depth).reduce("") { path, container in
        guard let key = container.key else { return path }
        return path.isEmpty ? key : path + "." + key
      }
    }

    func childPath(_ key: String) -> String {
      let parent = path(of: stack.count)
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
          expect = stack.last?.isObject == true ? .key : .value
          return nil
        }
        return close(byte)
      case .value, .firstValueOrEnd:
        if byte == UInt8(ascii: "]"), expect == .value, stack.last?.isObject == false {
          return fail("a comma before \"]\" (trailing comma)", at: at)
        }
        return readValue()
      }
    }

    mutating func close(_ byte: UInt8) -> Problem? {
      guard let last = stack.last, byte == (last.isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) else {
        return fail("expected \",\" or the end of the \(stack.last.map(kind) ?? "value")", at: at)
      }
      at += 1
      if last.isObject { keys.removeSubrange(last.firstKey...) }
      stack.removeLast()
      valueEnded()
      return nil
    }

    func kind(_ container: Container) -> String { container.isObject ? "object" : "array" }

    mutating func valueEnded() {
      if stack.isEmpty { finished = true } else { expect = .commaOrEnd }
    }

    mutating func readKey() -> Problem? {
      let start = at
      switch readString() {
      case .failure(let problem): return problem
      case .success(let key):
        guard let object = stack.indices.last, stack[object].isObject else { return nil }
        if !insertKey(key.nfc, into: object) {
          return fail("the key \"\(key)\" appears twice in the same object", at: start, field: childPath(key))
        }
        pendingKey = key
        expect = .colon
        return nil
      }
    }

    /// Adds `canonical` to the keys of the object `object` of the stack; `false` when it is
    /// there already.
    mutating func insertKey(_ canonical: String, into object: Int) -> Bool {
      if var set = stack[object].keySet {
        stack[object].keySet = nil  // held once while it grows
        defer { stack[object].keySet = set }
        return set.insert(canonical).inserted
      }
      let first = stack[object].firstKey
      if keys[first...].contains(canonical) { return false }
      keys.append(canonical)
      if keys.count - first > Self.listedKeys { stack[object].keySet = Set(keys[first...]) }
      return true
    }

    mutating func readValue() -> Problem? {
      let byte = bytes[at]
      switch byte {
      case UInt8(ascii: "{"), UInt8(ascii: "["):
        guard stack.count < StrictJSON.maxDepth else {
          return fail("nested deeper than \(StrictJSON.maxDepth) levels", at: at)
        }
        // The key a container is the value of, for the path of messages about what is inside it.
        let key = stack.last?.isObject == true ? pendingKey : nil
        at += 1
        let isObject = byte == UInt8(ascii: "{")
        stack.append(Container(isObject: isObject, key: key, firstKey: keys.count))
        expect = isObject ? .firstKeyOrEnd : .firstValueOrEnd
        return nil
      case UInt8(ascii: "\""):
        if case .failure(let problem) = readString(building: false) { return problem }
      case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
        if let problem = readNumber() { return problem }
      case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
        let word =
          byte == UInt8(ascii: "t")
          ? StrictJSON.trueWord : byte == UInt8(ascii: "f") ? StrictJSON.falseWord : StrictJSON.nullWord
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
    /// characters. A value's text is not needed (only checked): `building` false gives "".
    mutating func readString(building: Bool = true) -> Result<String, Problem> {
      let start = at
      at += 1
      var scalars = String.UnicodeScalarView()
      var escaped = false
      var runStart = at
      func flush(_ end: Int) {
        if building, end > runStart {
          scalars.append(contentsOf: String(decoding: bytes[runStart..<end], as: UTF8.self).unicodeScalars)
        }
      }
      while at < bytes.count {
        let byte = bytes[at]
        if byte == UInt8(ascii: "\"") {
          guard building else {
            at += 1
            return .success("")
          }
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
        if let scalar = StrictJSON.simpleEscapes[escape] {
          if building { scalars.append(scalar) }
          at += 2
        } else if escape == UInt8(ascii: "u") {
          switch readUnicodeEscape() {
          case .failure(let problem): return .failure(problem)
          case .success(let scalar): if building { scalars.append(scalar) }
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
