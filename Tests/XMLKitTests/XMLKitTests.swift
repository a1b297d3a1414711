import Testing
import XMLKit

let testSchema = """
  <?xml version="1.0" encoding="UTF-8"?>
  <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"
             targetNamespace="urn:test:1" xmlns="urn:test:1" elementFormDefault="qualified">
    <xs:element name="roster">
      <xs:complexType>
        <xs:sequence>
          <xs:element name="student" maxOccurs="unbounded">
            <xs:complexType>
              <xs:sequence>
                <xs:element name="name" type="xs:string"/>
                <xs:element name="year" type="xs:integer"/>
              </xs:sequence>
              <xs:attribute name="number" type="xs:string" use="required"/>
            </xs:complexType>
          </xs:element>
        </xs:sequence>
      </xs:complexType>
    </xs:element>
  </xs:schema>
  """

func document(_ text: String) throws -> XMLDocument { try XMLDocument(bytes: Array(text.utf8)) }

@Suite struct XMLWriterTests {
  @Test func writesAValidDocumentWithRareCharactersIntact() throws {
    let writer = try XMLStreamWriter()
    try writer.startElement("roster")
    try writer.attribute("xmlns", "urn:test:1")
    for (number, name) in [("110002", "林\u{2000B}華"), ("110004", "黃\u{F9A8}安 <&>\"")] {
      try writer.startElement("student")
      try writer.attribute("number", number)
      try writer.element("name", name)
      try writer.element("year", "112")
      try writer.endElement()
    }
    let bytes = try writer.finish()
    let text = String(decoding: bytes, as: UTF8.self)
    #expect(text.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"))
    // Written exactly as received: no NFC (U+F9A8 would become U+4EE4).
    // (Swift's String comparison is canonical, so compare scalars, not strings.)
    #expect(text.unicodeScalars.contains("\u{F9A8}"))
    #expect(!text.unicodeScalars.contains("\u{4EE4}"))
    #expect(text.contains("&lt;&amp;&gt;"))
    #expect(text.unicodeScalars.contains("\u{2000B}"))
    let schema = try XMLSchema(bytes: Array(testSchema.utf8))
    #expect(schema.errors(in: try XMLDocument(bytes: bytes)).isEmpty)
  }

  @Test(arguments: ["\u{0}", "\u{1}", "\u{1B}", "\u{FFFE}", "\u{FFFF}"])
  func refusesCharactersXMLForbids(bad: String) throws {
    let writer = try XMLStreamWriter()
    try writer.startElement("roster")
    #expect(throws: XMLError.self) { try writer.element("name", "王\(bad)明") }
    #expect(throws: XMLError.self) { try writer.attribute("number", "1\(bad)") }
    #expect(XMLText.firstForbidden(in: "ok\(bad)") != nil)
  }

  @Test func allowsTabNewlineAndAstralCharacters() {
    #expect(XMLText.firstForbidden(in: "a\tb\nc\r𠀋\u{E000}") == nil)
  }
}

@Suite struct XMLSchemaTests {
  @Test func collectsEveryErrorWithItsLineNumber() throws {
    let schema = try XMLSchema(bytes: Array(testSchema.utf8))
    let text = """
      <?xml version="1.0" encoding="UTF-8"?>
      <roster xmlns="urn:test:1">
        <student number="1">
          <name>王小明</name>
          <year>one hundred</year>
        </student>
        <student>
          <name>林小華</name>
          <year>112</year>
        </student>
      </roster>
      """
    let errors = schema.errors(in: try document(text))
    #expect(errors.count == 2)
    #expect(errors.map(\.line) == [5, 7])
    #expect(errors[0].message.contains("year"))
    #expect(errors[1].message.contains("number"))
    #expect(throws: XMLError.self) { try schema.validate(try document(text)) }
  }

  @Test func refusesABrokenSchema() {
    #expect(throws: XMLError.self) { try XMLSchema(bytes: Array("<xs:schema".utf8)) }
  }

  @Test func schemaImportCannotReachFilesOrNetwork() throws {
    let hostile = """
      <?xml version="1.0"?>
      <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
        <xs:include schemaLocation="file:///etc/passwd"/>
        <xs:element name="a" type="xs:string"/>
      </xs:schema>
      """
    // Either refused outright or loaded without the include: never reading the file.
    if let schema = try? XMLSchema(bytes: Array(hostile.utf8)) {
      #expect(schema.errors(in: try document("<a>x</a>")).isEmpty)
    }
  }
}

@Suite struct UntrustedXMLTests {
  @Test func externalEntityNeverReadsLocalFiles() {
    let xxe = """
      <?xml version="1.0"?>
      <!DOCTYPE roster [ <!ENTITY secret SYSTEM "file:///etc/passwd"> ]>
      <roster>&secret;</roster>
      """
    #expect {
      try document(xxe)
    } throws: { error in
      guard let error = error as? XMLError else { return false }
      return error.kind == .forbiddenConstruct && !error.description.contains("root:")
    }
  }

  @Test func billionLaughsIsRefusedBeforeExpanding() {
    var text = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n"
    for level in 1...9 {
      let previous = level == 1 ? "lol" : "lol\(level - 1)"
      text += " <!ENTITY lol\(level) \"" + String(repeating: "&\(previous);", count: 10) + "\">\n"
    }
    text += "]>\n<lolz>&lol9;</lolz>"
    let started = ContinuousClock.now
    #expect(throws: XMLError.self) { try document(text) }
    #expect(ContinuousClock.now - started < .seconds(5))  // a hang guard, not a benchmark
  }

  @Test func doctypeAfterCommentsAndPIsIsStillFound() {
    let text = "<?xml version=\"1.0\"?><!-- hi --><?pi x?>\n<!DOCTYPE a SYSTEM \"http://example.com/a.dtd\"><a/>"
    #expect(throws: XMLError.self) { try document(text) }
  }

  @Test func aDoctypeLikeStringInsideTheDocumentIsNotADoctype() throws {
    let doc = try document("<a>&lt;!DOCTYPE is just text here</a>")
    #expect(doc.root?.name == "a")
  }

  @Test func deepNestingIsRefusedWithoutCrashing() {
    let depth = 100_000
    let text = String(repeating: "<a>", count: depth) + String(repeating: "</a>", count: depth)
    #expect(throws: XMLError.self) { try document(text) }
  }

  @Test func malformedAndInvalidUTF8AreNotWellFormed() {
    #expect(throws: XMLError.self) { try document("<a><b></a>") }
    #expect(throws: XMLError.self) { try XMLDocument(bytes: Array("<a>".utf8) + [0xC3, 0x28] + Array("</a>".utf8)) }
    #expect(throws: XMLError.self) { try XMLDocument(bytes: [0xFF, 0xFE, 0x3C, 0x00]) }
  }

  @Test func toleratesAUTF8ByteOrderMark() throws {
    let doc = try XMLDocument(bytes: [0xEF, 0xBB, 0xBF] + Array("<r xmlns=\"urn:x\"/>".utf8))
    #expect(doc.root?.name == "r")
    #expect(doc.root?.namespace == "urn:x")
  }

  @Test func refusesInputOverTheCap() {
    #expect(throws: XMLError.self) {
      try XMLDocument(bytes: Array("<a>0123456789</a>".utf8), maxBytes: 8)
    }
  }
}
