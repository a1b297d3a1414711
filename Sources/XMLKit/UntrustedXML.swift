import CLibXML2

/// Process-wide libxml2 setup for untrusted input, done once.
enum LibXML2Setup {
  /// Refuses every external entity, DTD and schema import: nothing we parse may make libxml2
  /// open a local file or a network connection (`XML_PARSE_NONET` does not block `file://`).
  static let once: Void = {
    xmlInitParser()
    xmlSetExternalEntityLoader { _, _, _ in nil }
  }()
}

/// A parsed XML document from untrusted bytes. Owns the libxml2 tree.
///
/// Parsing never substitutes entities (`XML_PARSE_NOENT` off), never lifts parser limits
/// (`XML_PARSE_HUGE` off: depth, text-node and amplification limits stay), never reaches the
/// network, and refuses any document with a DOCTYPE — so XXE and billion laughs cannot work.
/// Not thread-safe: one document per task.
public final class XMLDocument {
  let pointer: xmlDocPtr

  /// Default cap on input size: a manifest is at most 16 MiB by the field specification.
  public static let defaultMaxBytes = 16 * 1024 * 1024

  /// Parses `bytes` (UTF-8, a BOM is tolerated).
  /// The corresponding C function is `xmlReadMemory`.
  public init(bytes: [UInt8], maxBytes: Int = XMLDocument.defaultMaxBytes) throws(XMLError) {
    _ = LibXML2Setup.once
    guard bytes.count <= maxBytes else {
      throw XMLError(
        kind: .tooLarge, message: "the document has \(bytes.count) bytes; the cap is \(maxBytes)")
    }
    if bytes.starts(with: [0xFE, 0xFF]) || bytes.starts(with: [0xFF, 0xFE]) {
      throw XMLError(kind: .notWellFormed, message: "the document is UTF-16; UTF-8 is required")
    }
    if XMLDocument.declaresDoctype(bytes) {
      throw XMLError(
        kind: .forbiddenConstruct,
        message: "the document has a DOCTYPE; DTDs and entities are refused on untrusted input")
    }
    let collector = IssueCollector()
    let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue)
    let document: xmlDocPtr? = collector.withInstalled {
      bytes.withUnsafeBufferPointer { raw in
        raw.withMemoryRebound(to: CChar.self) { chars in
          xmlReadMemory(chars.baseAddress, Int32(chars.count), "manifest.xml", "UTF-8", options)
        }
      }
    }
    guard let document, collector.errors.isEmpty else {
      if let document { xmlFreeDoc(document) }
      throw XMLError(
        kind: .notWellFormed, message: "the document is not well-formed XML",
        issues: collector.errors)
    }
    if document.pointee.intSubset != nil || document.pointee.extSubset != nil {
      xmlFreeDoc(document)
      throw XMLError(kind: .forbiddenConstruct, message: "the document declares a DTD")
    }
    pointer = document
  }

  deinit { xmlFreeDoc(pointer) }

  /// The root element's local name and namespace URI.
  public var root: (name: String, namespace: String?)? {
    guard let node = xmlDocGetRootElement(pointer) else { return nil }
    let name = String(cString: node.pointee.name)
    let namespace = node.pointee.ns.flatMap { $0.pointee.href }.map { String(cString: $0) }
    return (name, namespace)
  }

  /// A cheap scan of the prolog for `<!DOCTYPE`: refusing before parsing means an entity
  /// bomb is never even declared to libxml2.
  static func declaresDoctype(_ bytes: [UInt8]) -> Bool {
    let needle = Array("<!DOCTYPE".utf8)
    guard bytes.count >= needle.count else { return false }
    var index = 0
    while index + needle.count <= bytes.count {
      if bytes[index] == 0x3C {
        if bytes[index..<(index + needle.count)].elementsEqual(needle) { return true }
        // The DOCTYPE must come before the root element: stop at the first start tag.
        let next = index + 1 < bytes.count ? bytes[index + 1] : 0
        if next != 0x3F && next != 0x21 { return false }  // not "<?" and not "<!"
      }
      index += 1
    }
    return false
  }
}

/// An XML Schema (XSD) loaded from memory, ready to validate documents.
///
/// The schema is parsed with the same refusing entity loader, so an `xs:import` or
/// `xs:include` cannot reach a file or the network. A validation context is made per call,
/// so one `XMLSchema` may be used from one task at a time.
public final class XMLSchema {
  private let schema: xmlSchemaPtr

  /// Parses the XSD.
  /// The corresponding C functions are `xmlSchemaNewMemParserCtxt` and `xmlSchemaParse`.
  public init(bytes: [UInt8]) throws(XMLError) {
    _ = LibXML2Setup.once
    let collector = IssueCollector()
    let parsed: xmlSchemaPtr? = collector.withInstalled {
      bytes.withUnsafeBufferPointer { raw in
        raw.withMemoryRebound(to: CChar.self) { chars -> xmlSchemaPtr? in
          guard let context = xmlSchemaNewMemParserCtxt(chars.baseAddress, Int32(chars.count))
          else { return nil }
          defer { xmlSchemaFreeParserCtxt(context) }
          xmlSchemaSetParserStructuredErrors(
            context, IssueCollector.handler, Unmanaged.passUnretained(collector).toOpaque())
          return xmlSchemaParse(context)
        }
      }
    }
    guard let parsed else {
      throw XMLError(kind: .badSchema, message: "the XSD could not be read", issues: collector.errors)
    }
    schema = parsed
  }

  deinit { xmlSchemaFree(schema) }

  /// Every schema error of the document, in document order; empty when it is valid.
  /// The corresponding C function is `xmlSchemaValidateDoc`.
  public func errors(in document: XMLDocument) -> [XMLIssue] {
    let collector = IssueCollector()
    collector.withInstalled {
      guard let context = xmlSchemaNewValidCtxt(schema) else {
        collector.issues.append(XMLIssue(line: 0, message: "xmlSchemaNewValidCtxt failed"))
        return
      }
      defer { xmlSchemaFreeValidCtxt(context) }
      xmlSchemaSetValidStructuredErrors(
        context, IssueCollector.handler, Unmanaged.passUnretained(collector).toOpaque())
      let status = xmlSchemaValidateDoc(context, document.pointer)
      // A non-zero status with no reported issue still means invalid: say so.
      if status != 0 && collector.errors.isEmpty {
        collector.issues.append(
          XMLIssue(line: 0, message: "validation failed with libxml2 code \(status)"))
      }
    }
    return collector.errors
  }

  /// Throws `.schemaInvalid` with every error when the document breaks the schema.
  public func validate(_ document: XMLDocument) throws(XMLError) {
    let issues = errors(in: document)
    if !issues.isEmpty {
      throw XMLError(
        kind: .schemaInvalid,
        message: "the document breaks its XML Schema (\(issues.count) \(issues.count == 1 ? "error" : "errors"))",
        issues: issues)
    }
  }
}
