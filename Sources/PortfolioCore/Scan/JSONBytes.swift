import Foundation

/// A reader of JSON bytes that `StrictJSON` already found to be one strict value, for the few
/// shapes the drop's own files take. A read of a string, an integer, a boolean or `null` either
/// takes a whole value of that kind or reports `nil`/`false`; the object and array readers hand
/// each member or element to a closure. Nothing here recurses on the input's own nesting except
/// through the closures the caller writes (a fixed depth), and `skipValue` counts brackets.
struct JSONBytes {
  let bytes: UnsafeBufferPointer<UInt8>
  private(set) var at = 0

  init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

  /// The one value `read` takes from the whole of `bytes` (white space around it), or `nil`.
  static func whole<Value>(_ bytes: UnsafeBufferPointer<UInt8>, _ read: (inout JSONBytes) -> Value?) -> Value? {
    var reader = JSONBytes(bytes)
    guard let value = read(&reader) else { return nil }
    reader.skipSpace()
    return reader.atEnd ? value : nil
  }

  var atEnd: Bool { at == bytes.count }

  mutating func skipSpace() {
    while at < bytes.count {
      switch bytes[at] {
      case 0x20, 0x09, 0x0A, 0x0D: at += 1
      default: return
      }
    }
  }

  /// The next byte after white space, if any (not taken).
  private mutating func next() -> UInt8? {
    skipSpace()
    return at < bytes.count ? bytes[at] : nil
  }

  /// Takes `byte` if it comes next.
  private mutating func take(_ byte: UInt8) -> Bool {
    guard next() == byte else { return false }
    at += 1
    return true
  }

  mutating func null() -> Bool { word("null") }

  mutating func bool() -> Bool? {
    if word("true") { return true }
    if word("false") { return false }
    return nil
  }

  private mutating func word(_ word: StaticString) -> Bool {
    guard next() != nil, at + word.utf8CodeUnitCount <= bytes.count else { return false }
    for offset in 0..<word.utf8CodeUnitCount where bytes[at + offset] != word.utf8Start[offset] { return false }
    at += word.utf8CodeUnitCount
    return true
  }

  /// An integer written as one (`-`, digits); `nil` for a fraction, an exponent, `-0` or a
  /// number beyond `Int`, which are left to `JSONDecoder`'s own rules.
  mutating func integer() -> Int? {
    guard let first = next(), first == UInt8(ascii: "-") || (first &- 0x30) < 10 else { return nil }
    let digits = at + (first == UInt8(ascii: "-") ? 1 : 0)
    guard let (magnitude, end) = decimalDigits(bytes, from: digits) else { return nil }
    if end < bytes.count, [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(bytes[end]) {
      return nil
    }
    let value: Int
    if first == UInt8(ascii: "-") {
      guard magnitude > 0, magnitude <= UInt64(Int.max) + 1 else { return nil }
      value = Int(truncatingIfNeeded: 0 &- magnitude)
    } else {
      guard magnitude <= UInt64(Int.max) else { return nil }
      value = Int(magnitude)
    }
    at = end
    return value
  }

  /// A string, its escapes decoded; `nil` when the next value is no string.
  mutating func string() -> String? {
    guard next() == UInt8(ascii: "\"") else { return nil }
    var end = at + 1
    var escaped = false
    while end < bytes.count, bytes[end] != UInt8(ascii: "\"") {
      if bytes[end] == UInt8(ascii: "\\") {
        escaped = true
        end += 1
      }
      end += 1
    }
    guard end < bytes.count else { return nil }
    let body = UnsafeBufferPointer(rebasing: bytes[(at + 1)..<end])
    guard let text = escaped ? Self.unescaped(body) : String(decoding: body, as: UTF8.self) else { return nil }
    at = end + 1
    return text
  }

  /// A string's body with its escapes decoded (surrogate pairs joined); `nil` for a lone surrogate.
  private static func unescaped(_ body: UnsafeBufferPointer<UInt8>) -> String? {
    var text: [UInt8] = []
    text.reserveCapacity(body.count)
    var index = 0
    var pendingHigh: UInt32?
    while index < body.count {
      let byte = body[index]
      guard byte == UInt8(ascii: "\\") else {
        guard pendingHigh == nil else { return nil }
        text.append(byte)
        index += 1
        continue
      }
      guard index + 1 < body.count else { return nil }
      let kind = body[index + 1]
      if kind != UInt8(ascii: "u") {
        guard pendingHigh == nil, let scalar = StrictJSON.simpleEscapes[kind] else { return nil }
        text.append(UInt8(scalar.value))
        index += 2
        continue
      }
      guard index + 6 <= body.count, let unit = hexUnit(body, at: index + 2) else { return nil }
      index += 6
      let scalar: Unicode.Scalar?
      switch (pendingHigh, unit) {
      case (nil, 0xD800...0xDBFF):
        pendingHigh = unit
        continue
      case (let high?, 0xDC00...0xDFFF):
        pendingHigh = nil
        scalar = Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (unit - 0xDC00))
      case (nil, _): scalar = Unicode.Scalar(unit)
      default: return nil
      }
      guard let scalar else { return nil }
      text.append(contentsOf: String(Character(scalar)).utf8)
    }
    return pendingHigh == nil ? String(decoding: text, as: UTF8.self) : nil
  }

  /// The four hexadecimal digits at `at`, or `nil`.
  private static func hexUnit(_ body: UnsafeBufferPointer<UInt8>, at: Int) -> UInt32? {
    var unit: UInt32 = 0
    for byte in body[at..<(at + 4)] {
      let digit: UInt8
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
      case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
      case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
      default: return nil
      }
      unit = unit << 4 | UInt32(digit)
    }
    return unit
  }

  /// Passes over the next value, whatever it is.
  mutating func skipValue() -> Bool {
    guard let first = next() else { return false }
    switch first {
    case UInt8(ascii: "\""): return string() != nil
    case UInt8(ascii: "{"), UInt8(ascii: "["):
      var depth = 0
      while at < bytes.count {
        switch bytes[at] {
        case UInt8(ascii: "\""):
          guard string() != nil else { return false }
          continue
        case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
        case UInt8(ascii: "}"), UInt8(ascii: "]"):
          depth -= 1
          if depth == 0 {
            at += 1
            return true
          }
        default: break
        }
        at += 1
      }
      return false
    default:
      // A number or a literal: up to the next delimiter.
      let start = at
      while at < bytes.count, ![0x20, 0x09, 0x0A, 0x0D, 0x2C, 0x5D, 0x7D].contains(bytes[at]) { at += 1 }
      return at > start
    }
  }

  /// An object: `member` is given each key and reads its value (`false`: stop, the object is
  /// not taken).
  mutating func object(_ member: (inout JSONBytes, String) -> Bool) -> Bool {
    guard take(UInt8(ascii: "{")) else { return false }
    if take(UInt8(ascii: "}")) { return true }
    repeat {
      guard let key = string(), take(UInt8(ascii: ":")), member(&self, key) else { return false }
    } while take(UInt8(ascii: ","))
    return take(UInt8(ascii: "}"))
  }

  /// An array: `element` reads each element (`false`: stop, the array is not taken).
  mutating func array(_ element: (inout JSONBytes) -> Bool) -> Bool {
    guard take(UInt8(ascii: "[")) else { return false }
    if take(UInt8(ascii: "]")) { return true }
    repeat {
      guard element(&self) else { return false }
    } while take(UInt8(ascii: ","))
    return take(UInt8(ascii: "]"))
  }

  /// `[]`, taken only when it is that (anything else: nothing taken).
  mutating func emptyArray() -> Bool {
    let start = at
    guard take(UInt8(ascii: "[")), take(UInt8(ascii: "]")) else {
      at = start
      return false
    }
    return true
  }

  /// A number written without an exponent (`-`, digits, an optional fraction) as the `Double`
  /// it denotes (correctly rounded, as `JSONDecoder` reads it); `nil` for any other number.
  mutating func decimal() -> Double? {
    guard let first = next(), first == UInt8(ascii: "-") || (first &- 0x30) < 10 else { return nil }
    var end = at
    while end < bytes.count,
      bytes[end] == UInt8(ascii: "-") || bytes[end] == UInt8(ascii: ".") || (bytes[end] &- 0x30) < 10
    {
      end += 1
    }
    if end < bytes.count, bytes[end] | 0x20 == UInt8(ascii: "e") { return nil }
    guard let value = Double(String(decoding: UnsafeBufferPointer(rebasing: bytes[at..<end]), as: UTF8.self)),
      value.isFinite
    else { return nil }
    at = end
    return value
  }

  /// A value the reader does not take apart itself, decoded by `JSONDecoder` alone.
  mutating func decodedAlone<Value: Decodable>(_: Value.Type) -> Value? {
    let start = at
    guard skipValue() else { return nil }
    return try? JSONDecoder().decode(Value.self, from: Data(UnsafeBufferPointer(rebasing: bytes[start..<at])))
  }

  /// Passes over the value of a key the reader does not read — unless the model's coding knows
  /// the key (`known`): a field added to the model and not to its byte reader makes the reader
  /// give up (`false`), and `JSONDecoder` reads the whole value, instead of the field being lost.
  mutating func skipUnknown<Keys: CodingKey>(_ key: String, known _: Keys.Type) -> Bool {
    Keys(stringValue: key) == nil && skipValue()
  }

  /// A required field's value (`nil`: not what the field takes).
  func required<Value>(_ value: Value?, into field: inout Value?) -> Bool {
    field = value
    return value != nil
  }

  /// An optional field: `null` leaves it absent, anything else must be what `read` takes.
  mutating func optional<Value>(into field: inout Value?, _ read: (inout JSONBytes) -> Value?) -> Bool {
    if null() { return true }
    guard let value = read(&self) else { return false }
    field = value
    return true
  }
}

/// The decimal digits of `bytes` from `start` as a number, and where they end; `nil` when there
/// is no digit there or they overflow `UInt64`. (A stamp's fields and JSON integers.)
func decimalDigits<Bytes: Collection<UInt8>>(_ bytes: Bytes, from start: Bytes.Index) -> (
  value: UInt64, end: Bytes.Index
)? {
  var value: UInt64 = 0
  var at = start
  while at < bytes.endIndex, case let digit = bytes[at] &- 0x30, digit < 10 {
    let (times, over) = value.multipliedReportingOverflow(by: 10)
    let (sum, carry) = times.addingReportingOverflow(UInt64(digit))
    guard !over, !carry else { return nil }
    value = sum
    at = bytes.index(after: at)
  }
  return at == start ? nil : (value, at)
}
