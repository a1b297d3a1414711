import CLibXML2

/// Writes an XML document as a stream with libxml2's text writer, into memory.
///
/// libxml2 escapes `< & > "` but writes XML-forbidden characters raw (and a NUL silently
/// truncates), producing a document that no longer parses; every string is therefore checked
/// with `XMLText` first and refused with `.forbiddenCharacter`.
/// Not thread-safe: one writer per document, on one task.
public final class XMLStreamWriter {
  private let buffer: xmlBufferPtr
  private var writer: xmlTextWriterPtr?

  /// Starts a UTF-8, XML 1.0 document.
  /// The corresponding C functions are `xmlNewTextWriterMemory` and `xmlTextWriterStartDocument`.
  public init(indent: Bool = true) throws(XMLError) {
    guard let buffer = xmlBufferCreate() else {
      throw XMLError(kind: .writer, message: "xmlBufferCreate failed (out of memory)")
    }
    guard let writer = xmlNewTextWriterMemory(buffer, 0) else {
      xmlBufferFree(buffer)
      throw XMLError(kind: .writer, message: "xmlNewTextWriterMemory failed")
    }
    self.buffer = buffer
    self.writer = writer
    if indent {
      _ = xmlTextWriterSetIndent(writer, 1)
      _ = xmlTextWriterSetIndentString(writer, "  ")
    }
    try check(xmlTextWriterStartDocument(writer, "1.0", "UTF-8", nil), "start the document")
  }

  deinit {
    if let writer { xmlFreeTextWriter(writer) }
    xmlBufferFree(buffer)
  }

  /// Opens an element.
  public func startElement(_ name: String) throws(XMLError) {
    try check(xmlTextWriterStartElement(try live(), name), "start <\(name)>")
  }

  /// Writes an attribute of the open element.
  public func attribute(_ name: String, _ value: String) throws(XMLError) {
    try allowed(value, "attribute \(name)")
    try check(xmlTextWriterWriteAttribute(try live(), name, value), "write @\(name)")
  }

  /// Writes escaped text content.
  public func text(_ value: String) throws(XMLError) {
    try allowed(value, "text")
    try check(xmlTextWriterWriteString(try live(), value), "write text")
  }

  /// Writes `<name>value</name>`.
  public func element(_ name: String, _ value: String) throws(XMLError) {
    try allowed(value, "<\(name)>")
    try check(xmlTextWriterWriteElement(try live(), name, value), "write <\(name)>")
  }

  /// Closes the innermost open element.
  public func endElement() throws(XMLError) {
    try check(xmlTextWriterEndElement(try live()), "end an element")
  }

  /// Closes every open element, flushes and returns the document's bytes.
  /// The writer cannot be used afterwards.
  public func finish() throws(XMLError) -> [UInt8] {
    let writer = try live()
    try check(xmlTextWriterEndDocument(writer), "end the document")
    xmlFreeTextWriter(writer)  // flushes into the buffer
    self.writer = nil
    let count = Int(xmlBufferLength(buffer))
    guard count > 0, let content = xmlBufferContent(buffer) else { return [] }
    return Array(UnsafeBufferPointer(start: content, count: count))
  }

  private func live() throws(XMLError) -> xmlTextWriterPtr {
    guard let writer else {
      throw XMLError(kind: .writer, message: "the document is already finished")
    }
    return writer
  }

  private func allowed(_ value: String, _ place: String) throws(XMLError) {
    if let bad = XMLText.firstForbidden(in: value) {
      let hex = String(bad.value, radix: 16, uppercase: true)
      throw XMLError(
        kind: .forbiddenCharacter,
        message: "\(place) holds U+\(String(repeating: "0", count: max(0, 4 - hex.count)) + hex), which XML 1.0 forbids"
      )
    }
  }

  private func check(_ status: Int32, _ what: String) throws(XMLError) {
    if status < 0 {
      throw XMLError(kind: .writer, message: "libxml2 text writer could not \(what)")
    }
  }
}
