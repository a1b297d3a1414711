import QPDFKit

/// PDF: the byte-level end of the file (`%%EOF`, what follows it) is checked here; everything
/// else is read from the object model of the latest revision through libqpdf (`PDFStructure`).
enum PDFParser {
  static let linkActions: Set<String> = ["URI", "Launch", "GoToR", "JavaScript"]
  /// Viewers accept up to this much junk before `%PDF-`.
  static let headerWindow = 1024

  static func inspect(_ bytes: UnsafeRawBufferPointer) -> ContentFacts {
    var facts = ContentFacts()
    guard ByteSearch.firstIndex(of: Array("%PDF-".utf8), in: bytes.slice(0..<headerWindow)) != nil else {
      facts.problems.append(.corrupt("no %PDF- header in the first \(headerWindow) bytes"))
      return facts
    }
    if let problem = endProblem(bytes) {
      facts.problems.append(problem)
      if case .corrupt = problem { return facts }
    }
    let document: PDFDocument
    do {
      document = try PDFDocument(bytes: bytes)
    } catch .passwordRequired {
      // Only the attachments may need the password (/EFOpen): the document itself opens.
      facts.problems.append(attachmentsOnlyEncrypted(bytes) ? .embeddedFiles : .encrypted)
      return facts
    } catch .damaged(let message) {
      facts.problems.append(.corrupt("qpdf cannot read it: \(message)"))
      return facts
    } catch {
      facts.problems.append(.corrupt("qpdf could not start"))
      return facts
    }
    if document.isEncrypted { facts.problems.append(.restricted) }
    let structure = PDFStructure.read(document)
    document.collectWarnings()
    // qpdf turns an allocation that failed (a stream that inflates past the memory limit) into
    // a warning and a null object: the walk's verdict would rest on the limit, not the file.
    if let exhausted = document.warnings.first(where: { $0.contains("bad_alloc") }) {
      facts.problems.append(.tooComplex("qpdf ran out of memory (\(exhausted))"))
      return facts
    }
    if let tooComplex = structure.tooComplex {
      facts.problems.append(.tooComplex(tooComplex))
      return facts
    }
    if let broken = structure.broken {
      facts.problems.append(.corrupt(broken))
      return facts
    }
    if !document.warnings.isEmpty, !hasTrailerOrXRefStream(bytes) {
      facts.problems.append(.corrupt("no trailer and no xref stream (qpdf: \(document.warnings[0]))"))
      return facts
    }
    facts.pages = structure.pages
    let links = structure.actions.sorted()
    if !links.isEmpty { facts.problems.append(.links(links.map { "/" + $0 })) }
    if structure.hasAttachments { facts.problems.append(.embeddedFiles) }
    return facts
  }

  /// The end of the file: `%%EOF` followed by white space only, or a last revision that ends at
  /// its `startxref` offset without `%%EOF` (viewers open it). An update cut after `%%EOF` is
  /// an interrupted upload; other bytes there are judged by `TrailingBytes`.
  static func endProblem(_ bytes: UnsafeRawBufferPointer) -> ContentProblem? {
    guard let eof = ByteSearch.lastIndex(of: Array("%%EOF".utf8), in: bytes) else {
      return endsAtStartXRef(bytes) ? nil : .corrupt("no %%EOF and no startxref at the end: the file was cut short")
    }
    let tail = bytes.slice((eof + 5)..<bytes.count)
    if !FormatParsers.isPadding(tail), TrailingBytes.formatAtStart(tail) == nil, isCutUpdate(tail) {
      if endsAtStartXRef(bytes) { return nil }  // a complete last update without its own %%EOF
      return .corrupt("an incremental update after the last %%EOF was cut off: the upload was interrupted")
    }
    if let problem = TrailingBytes.problem(tail, after: "the PDF's end (%%EOF)") { return problem }
    if ByteSearch.lastIndex(of: Array("startxref".utf8), in: bytes.slice(0..<eof)) == nil {
      return .corrupt("no startxref before %%EOF")
    }
    return nil
  }

  /// Whether the file ends with `startxref`, an offset and white space — and at most part of
  /// the `%%EOF` marker (`%%EO`): the revision is complete, only the end marker is missing.
  static func endsAtStartXRef(_ bytes: UnsafeRawBufferPointer) -> Bool {
    var tail = bytes.slice(max(0, bytes.count - 64)..<bytes.count)
    var last = tail.count
    while last > 0, [0x00, 0x09, 0x0A, 0x0C, 0x0D, 0x20].contains(tail[last - 1]) { last -= 1 }
    for partial in ["%%EO", "%%E", "%%", "%"].map({ Array($0.utf8) })
    where last >= partial.count && tail.slice((last - partial.count)..<last).elementsEqual(partial) {
      tail = tail.slice(0..<(last - partial.count))
      break
    }
    guard let at = ByteSearch.lastIndex(of: Array("startxref".utf8), in: tail) else { return false }
    let rest = tail.slice((at + 9)..<tail.count)
    let digits = rest.filter { (0x30...0x39).contains($0) }.count
    return digits > 0
      && rest.allSatisfy { (0x30...0x39).contains($0) || [0x00, 0x09, 0x0A, 0x0C, 0x0D, 0x20].contains($0) }
  }

  /// Whether bytes after the last %%EOF are the start of another revision that never ended
  /// (objects, an xref table or a trailer without their own %%EOF): an interrupted save or upload.
  static func isCutUpdate(_ tail: UnsafeRawBufferPointer) -> Bool {
    let head = tail.slice(0..<min(tail.count, 4096))
    return ["obj", "endobj", "xref", "trailer", "startxref"].contains {
      ByteSearch.firstIndex(of: Array($0.utf8), in: head) != nil
    }
  }

  /// Asked only when qpdf had to repair: a file with neither a `trailer` keyword nor an
  /// `/XRef` stream has no way to find its objects.
  static func hasTrailerOrXRefStream(_ bytes: UnsafeRawBufferPointer) -> Bool {
    ByteSearch.lastIndex(of: Array("trailer".utf8), in: bytes) != nil
      || ByteSearch.lastIndex(of: Array("/XRef".utf8), in: bytes) != nil
  }

  /// An encryption dictionary that asks for the password only when an attachment is opened
  /// (`/EFOpen`): the document itself is readable.
  static func attachmentsOnlyEncrypted(_ bytes: UnsafeRawBufferPointer) -> Bool {
    ByteSearch.lastIndex(of: Array("/EFOpen".utf8), in: bytes) != nil
  }
}
