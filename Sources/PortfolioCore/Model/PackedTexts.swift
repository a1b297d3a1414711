/// An item's optional texts (course code, category, title, summary, dates, link) in one
/// allocation: eight `String?` are 128 bytes inline in every item plus an allocation for each
/// text over 15 bytes (a title, a summary, a timestamp); a school keeps tens of thousands of
/// items for the whole run. Each text is made again when read, exactly as it was stored.
struct PackedTexts: Sendable {
  /// Per field in order: its length + 1 as a variable-length number (0: absent), then its
  /// UTF-8 bytes. `nil` when every field is absent.
  private var bytes: [UInt8]?

  static let fieldCount = 8

  init() {}

  subscript(field: Int) -> String? {
    get {
      guard let bytes, let range = Self.range(of: field, in: bytes) else { return nil }
      return String(decoding: bytes[range], as: UTF8.self)
    }
    set {
      var values = (0..<Self.fieldCount).map { self[$0] }
      values[field] = newValue
      self = Self(values)
    }
  }

  /// The texts of `values`, field by field.
  init(_ values: [String?]) {
    guard values.contains(where: { $0 != nil }) else { return }
    var packed: [UInt8] = []
    packed.reserveCapacity(values.reduce(Self.fieldCount) { $0 + ($1?.utf8.count ?? 0) + 2 })
    for value in values {
      guard let value else {
        packed.append(0)
        continue
      }
      var length = value.utf8.count + 1
      while length >= 0x80 {
        packed.append(UInt8(length & 0x7F) | 0x80)
        length >>= 7
      }
      packed.append(UInt8(length))
      packed.append(contentsOf: value.utf8)
    }
    bytes = packed
  }

  /// Where field `field`'s bytes are; `nil` when it is absent.
  private static func range(of field: Int, in bytes: [UInt8]) -> Range<Int>? {
    var position = 0
    for index in 0...field {
      var length = 0
      var shift = 0
      while true {
        let byte = bytes[position]
        position += 1
        length |= Int(byte & 0x7F) << shift
        if byte < 0x80 { break }
        shift += 7
      }
      if index == field { return length == 0 ? nil : position..<(position + length - 1) }
      position += max(length - 1, 0)
    }
    return nil
  }
}

extension PackedTexts: Equatable {
  /// Field by field as texts (a title in composed and decomposed form is the same title, as
  /// it was when the fields were `String`s).
  static func == (left: Self, right: Self) -> Bool {
    left.bytes == right.bytes || (0..<fieldCount).allSatisfy { left[$0] == right[$0] }
  }
}
