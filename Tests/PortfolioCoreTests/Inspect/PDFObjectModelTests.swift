import Foundation
import TestSupport
import Testing

@testable import PortfolioCore

/// Hand-written PDF objects, given a correct xref table by qpdf (a real program) where a test
/// needs a well-formed file, or written with their own xref where the structure is the point.
enum PDFSource {
  /// A PDF with its objects and an xref table whose offsets are right.
  static func withXref(_ objects: [String], root: Int = 1) -> Data {
    var text = "%PDF-1.7\n"
    var offsets: [Int] = []
    for (index, body) in objects.enumerated() {
      offsets.append(text.utf8.count)
      text += "\(index + 1) 0 obj\n\(body)\nendobj\n"
    }
    let xref = text.utf8.count
    text += "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
    for offset in offsets { text += String(format: "%010d 00000 n \n", offset) }
    text += "trailer\n<< /Size \(objects.count + 1) /Root \(root) 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
    return Data(text.utf8)
  }

  static func onePage(annotation: String? = nil, catalogExtra: String = "") -> Data {
    var objects = [
      "<< /Type /Catalog /Pages 2 0 R \(catalogExtra) >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] \(annotation == nil ? "" : "/Annots [4 0 R]") >>",
    ]
    if let annotation { objects.append("<< /Type /Annot \(annotation) >>") }
    return withXref(objects)
  }
}

/// Runs the qpdf program on `input` with `arguments`; qpdf's exit 3 (warnings) still wrote the file.
func qpdfRewrite(_ input: Data, _ arguments: [String]) throws -> Data {
  let folder = FileManager.default.temporaryDirectory.appendingPathComponent("qpdf-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: folder) }
  let source = folder.appendingPathComponent("in.pdf")
  let target = folder.appendingPathComponent("out.pdf")
  try input.write(to: source)
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/qpdf")
  process.arguments = arguments + [source.path, target.path]
  try process.run()
  process.waitUntilExit()
  #expect(process.terminationStatus == 0 || process.terminationStatus == 3, "qpdf \(arguments)")
  return try Data(contentsOf: target)
}

func inspectPDF(_ data: Data) -> ContentFacts {
  data.withUnsafeBytes {
    FormatParsers.inspect(mime: "application/pdf", $0, limits: ParseLimits(maxPixels: 100_000_000))
  }
}

@Suite struct PDFObjectModelTests {
  @Test func pagesAreTheLeavesOfTheLatestPageTreeNotTokensOfEveryRevision() throws {
    // Three leaves under an intermediate node, plus a stale /Type /Page object nothing reaches.
    let pdf = PDFSource.withXref([
      "<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R 6 0 R] /Count 3 >>",
      "<< /Type /Pages /Parent 2 0 R /Kids [4 0 R 5 0 R] /Count 2 >>",
      "<< /Type /Page /Parent 3 0 R >>", "<< /Type /Page /Parent 3 0 R >>", "<< /Type /Page /Parent 2 0 R >>",
      "<< /Type /Page >>",
    ])
    let facts = inspectPDF(pdf)
    #expect(facts.problems == [])
    #expect(facts.pages == 3)
  }

  @Test func aPageTreeThatLoopsIsCorrupt() {
    let pdf = PDFSource.withXref([
      "<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
      "<< /Type /Pages /Kids [2 0 R] /Count 1 >>",
    ])
    let reasons = inspectPDF(pdf).problems.map { "\($0)" }.joined()
    #expect(reasons.contains("loops"), "\(reasons)")
  }

  @Test(arguments: [
    ("<< /Type /Catalog >>", "no page tree"), ("<< /Type /Pages /Kids [] /Count 0 >>", "no /Root"),
  ])
  func aCatalogWithoutPagesOrATrailerWithoutRootIsCorrupt(first: String, reason: String) {
    let pdf = PDFSource.withXref([first], root: reason == "no /Root" ? 9 : 1)
    let reasons = inspectPDF(pdf).problems.map { "\($0)" }.joined()
    #expect(reasons.contains(reason), "\(reasons)")
  }

  @Test func attachmentsAreTheNameTreeAndFileAttachmentAnnotationsNotTheWord() throws {
    let formPacket = PDFSource.onePage(catalogExtra: "/Info (/EmbeddedFile is only text here)")
    #expect(!inspectPDF(formPacket).problems.contains(.embeddedFiles))
    let annotation = PDFSource.onePage(annotation: "/Subtype /FileAttachment /Rect [0 0 9 9] /FS << /F (a.txt) >>")
    #expect(inspectPDF(annotation).problems.contains(.embeddedFiles))
    let tree = PDFSource.onePage(catalogExtra: "/Names << /EmbeddedFiles << /Names [(a.txt) << /F (a.txt) >>] >> >>")
    #expect(inspectPDF(tree).problems.contains(.embeddedFiles))
  }

  @Test func openActionJavaScriptIsFound() {
    let pdf = PDFSource.onePage(catalogExtra: "/OpenAction << /S /JavaScript /JS (app.alert(1)) >>")
    #expect(inspectPDF(pdf).problems.contains(.links(["/JavaScript"])))
  }

  @Test func anOwnerPasswordOnlyPDFIsDecryptedCheckedAndRestricted() throws {
    let source = PDFSource.onePage(annotation: "/Subtype /Link /Rect [0 0 9 9] /A << /S /URI /URI (https://x.tw) >>")
    // AES-256 (R6) and RC4-128 (R3, which qpdf 11 writes only when asked to allow weak crypto).
    for (bits, extra) in [("256", [String]()), ("128", ["--use-aes=n"])] {
      let weak = bits == "128" ? ["--allow-weak-crypto"] : []
      let pdf = try qpdfRewrite(
        source, weak + ["--encrypt", "", "owner-secret", bits, "--print=none"] + extra + ["--"])
      let facts = inspectPDF(pdf)
      #expect(facts.problems.contains(.restricted), "\(bits): \(facts.problems)")
      #expect(facts.problems.contains(.links(["/URI"])), "\(bits): the decrypted content is checked")
      #expect(facts.pages == 1)
    }
    let locked = try qpdfRewrite(source, ["--encrypt", "user-secret", "owner-secret", "256", "--"])
    #expect(inspectPDF(locked).problems == [.encrypted])
  }

  @Test func aRestrictedDocumentIsAcceptedWithTheWarning() throws {
    let pdf = try qpdfRewrite(PDFSource.onePage(), ["--encrypt", "", "owner-secret", "256", "--print=none", "--"])
    let drop = try TestDrop()
    defer { drop.remove() }
    try item(drop, file: "r.pdf", data: pdf)
    let validation = try validate(drop)
    #expect(validation.findings.map(\.code) == [.restrictedDocument])
    #expect(validation.findings.first?.severity == .warning)
  }

  @Test func aCompleteLastRevisionWithoutEOFIsAccepted() {
    var text = String(decoding: PDFSource.onePage(), as: UTF8.self)
    text.removeLast("%%EOF\n".count)
    #expect(inspectPDF(Data(text.utf8)).problems == [])
  }
}
