import CLibXML2

/// An element of a parsed document, copied out of libxml2's tree into Swift values so the
/// caller never touches a libxml2 pointer.
public struct XMLElementNode: Sendable, Equatable {
  public var name: String
  public var namespace: String?
  public var attributes: [String: String]
  public var children: [XMLElementNode]
  /// The element's own text (its text and CDATA children, concatenated).
  public var text: String
  public var line: Int

  /// The first child element called `name`.
  public func child(_ name: String) -> XMLElementNode? { children.first { $0.name == name } }

  /// Every child element called `name`.
  public func children(_ name: String) -> [XMLElementNode] { children.filter { $0.name == name } }

  /// The text of the first child element called `name`.
  public func text(of name: String) -> String? { child(name)?.text }
}

extension XMLDocument {
  /// The root element as a Swift tree (libxml2 already limits the depth to 256).
  public func rootElement() -> XMLElementNode? {
    guard let root = xmlDocGetRootElement(pointer) else { return nil }
    return XMLDocument.copy(root)
  }

  static func copy(_ node: xmlNodePtr) -> XMLElementNode {
    var attributes: [String: String] = [:]
    var attribute = node.pointee.properties
    while let current = attribute {
      let name = String(cString: current.pointee.name)
      if let value = xmlNodeListGetString(node.pointee.doc, current.pointee.children, 1) {
        attributes[name] = String(cString: value)
        CLibXML2_free(value)
      } else {
        attributes[name] = ""
      }
      attribute = current.pointee.next
    }
    var children: [XMLElementNode] = []
    var text = ""
    var child = node.pointee.children
    while let current = child {
      switch current.pointee.type {
      case XML_ELEMENT_NODE: children.append(copy(current))
      case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
        if let content = current.pointee.content { text += String(cString: content) }
      default: break
      }
      child = current.pointee.next
    }
    return XMLElementNode(
      name: String(cString: node.pointee.name),
      namespace: node.pointee.ns.flatMap { $0.pointee.href }.map { String(cString: $0) },
      attributes: attributes, children: children, text: text, line: Int(xmlGetLineNo(node)))
  }
}
