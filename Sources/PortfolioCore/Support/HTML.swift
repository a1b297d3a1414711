/// HTML escaping for the pages we write.
enum HTML {
  /// `& < > " '` as entities. Byte by byte over the UTF-8 (these five are ASCII, never part of
  /// another character's bytes): a text without any is returned as it is, without a copy.
  static func escape(_ text: String) -> String {
    guard text.utf8.contains(where: { special($0) }) else { return text }
    var out: [UInt8] = []
    out.reserveCapacity(text.utf8.count + 32)
    for byte in text.utf8 {
      switch byte {
      case UInt8(ascii: "&"): out += "&amp;".utf8
      case UInt8(ascii: "<"): out += "&lt;".utf8
      case UInt8(ascii: ">"): out += "&gt;".utf8
      case UInt8(ascii: "\""): out += "&quot;".utf8
      case UInt8(ascii: "'"): out += "&#39;".utf8
      default: out.append(byte)
      }
    }
    return String(decoding: out, as: UTF8.self)
  }

  static func special(_ byte: UInt8) -> Bool {
    byte == UInt8(ascii: "&") || byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "\"")
      || byte == UInt8(ascii: "'")
  }

  /// The start of every page we write, up to the title (escaped here): the doctype, Traditional
  /// Chinese, UTF-8, a phone's width. The page adds its style and body.
  static func documentStart(title: String) -> String {
    """
    <!DOCTYPE html>
    <html lang="zh-Hant">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>\(escape(title))</title>
    """
  }
}
