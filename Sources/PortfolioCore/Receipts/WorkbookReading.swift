import Foundation
import XMLKit
import ZipKit

/// A workbook read back as text: each sheet's rows of cell values (shared strings resolved,
/// numbers as written). Enough for the rosters this program writes; read with the same caps as
/// any zip we did not just make (a roster may have been replaced on disk since).
struct WorkbookText: Sendable, Equatable {
  struct Sheet: Sendable, Equatable {
    var name: String
    var rows: [[String]]
  }
  var sheets: [Sheet]

  /// The most any one part of the workbook may hold once decompressed.
  static let maxPartBytes: UInt64 = 256 * 1024 * 1024

  enum Problem: Error, CustomStringConvertible {
    case missingPart(String)
    case unreadable(String)

    var description: String {
      switch self {
      case .missingPart(let part): "the workbook has no \(part)"
      case .unreadable(let why): why
      }
    }
  }

  static func read(path: String) throws -> WorkbookText {
    let reader = try ZipArchiveReader(path: path)
    let entries = Dictionary(
      try reader.entries().compactMap { entry in entry.name.map { ($0, entry) } },
      uniquingKeysWith: { first, _ in first }
    )
    func part(_ name: String) throws -> XMLElementNode? {
      guard let entry = entries[name] else { return nil }
      let bytes = try reader.readAll(entry, maxBytes: maxPartBytes)
      return try XMLDocument(bytes: bytes, maxBytes: Int(maxPartBytes)).rootElement()
    }
    guard let workbook = try part("xl/workbook.xml") else { throw Problem.missingPart("xl/workbook.xml") }
    let relations = try part("xl/_rels/workbook.xml.rels")?.children("Relationship") ?? []
    let targets = Dictionary(
      relations.compactMap { relation in
        relation.attributes["Id"].flatMap { id in relation.attributes["Target"].map { (id, $0) } }
      }, uniquingKeysWith: { first, _ in first })
    let shared = try part("xl/sharedStrings.xml").map(sharedStrings) ?? []
    var sheets: [Sheet] = []
    for sheet in workbook.child("sheets")?.children("sheet") ?? [] {
      guard let name = sheet.attributes["name"], let id = sheet.attributes["id"], let target = targets[id] else {
        throw Problem.unreadable("a sheet of xl/workbook.xml names no part")
      }
      let partName = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
      guard let root = try part(partName) else { throw Problem.missingPart(partName) }
      sheets.append(Sheet(name: name, rows: try rows(of: root, shared: shared)))
    }
    return WorkbookText(sheets: sheets)
  }

  /// `<si>` entries: plain `<t>` or rich runs `<r><t>`.
  static func sharedStrings(_ root: XMLElementNode) -> [String] {
    root.children("si").map { item in
      item.child("t")?.text ?? item.children("r").compactMap { $0.child("t")?.text }.joined()
    }
  }

  static func rows(of sheet: XMLElementNode, shared: [String]) throws -> [[String]] {
    var rows: [[String]] = []
    for row in sheet.child("sheetData")?.children("row") ?? [] {
      guard let number = row.attributes["r"].flatMap(Int.init), number >= 1, number <= 1_048_576 else {
        throw Problem.unreadable("a row without a valid number")
      }
      while rows.count < number { rows.append([]) }
      var cells: [String] = []
      for cell in row.children("c") {
        guard let reference = cell.attributes["r"], let column = column(of: reference), column < 16_384 else {
          throw Problem.unreadable("a cell without a valid reference")
        }
        while cells.count < column { cells.append("") }
        cells.append(try value(of: cell, shared: shared))
      }
      rows[number - 1] = cells
    }
    return rows
  }

  static func value(of cell: XMLElementNode, shared: [String]) throws -> String {
    let raw = cell.text(of: "v") ?? ""
    switch cell.attributes["t"] {
    case "s":
      guard let index = Int(raw), shared.indices.contains(index) else {
        throw Problem.unreadable("a cell names shared string \(raw), which does not exist")
      }
      return shared[index]
    case "inlineStr": return cell.child("is").map { $0.child("t")?.text ?? "" } ?? ""
    default: return raw
    }
  }

  /// The zero-based column of a reference such as `AB12`.
  static func column(of reference: String) -> Int? {
    var column = 0
    var letters = 0
    for byte in reference.utf8 {
      guard (0x41...0x5A).contains(byte) else { break }
      column = column * 26 + Int(byte - 0x40)
      letters += 1
    }
    return letters == 0 || letters > 3 ? nil : column - 1
  }
}
