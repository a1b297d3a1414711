import QPDFKit

/// What the object model of a PDF's latest revision says, found by walking it with explicit
/// bounds and visited sets: the catalog, the page tree, annotations, actions and name trees.
struct PDFStructure {
  var pages = 0
  /// Actions that make the content changeable or leave the document (`URI`, `Launch`, …).
  var actions: Set<String> = []
  var hasAttachments = false
  /// Why the structure is broken, when it is.
  var broken: String?
  /// Why the walk stopped before the end (its budget ran out): the file is too complex to vouch for.
  var tooComplex: String?
  /// Objects (page-tree nodes, annotation arrays, annotations, actions, name-tree nodes) the
  /// walk may still visit: one budget for the whole document, not per level, so pages ×
  /// annotations cannot multiply.
  private var budget = PDFStructure.maxVisits
  /// Every indirect object already looked at (besides page-tree nodes, which have their own
  /// set: reaching one twice is a loop): each is looked at once.
  private var seen: Set<ObjectIdentity> = []

  /// The deepest page tree walked (deeper is corrupt), and other walk bounds.
  static let maxPageTreeDepth = 64
  static let maxNodes = 500_000
  static let maxAnnotationsPerPage = 10_000
  static let maxActionChain = 64
  static let maxNameTreeNodes = 10_000
  static let maxVisits = 200_000

  static func read(_ document: PDFDocument) -> PDFStructure {
    var structure = PDFStructure()
    guard let root = document.trailer["Root"], root.kind == .dictionary else {
      structure.broken = "no /Root catalog in the trailer"
      return structure
    }
    guard let tree = root["Pages"], tree.kind == .dictionary else {
      structure.broken = "no page tree (/Pages) in the latest catalog"
      return structure
    }
    structure.walkPages(tree)
    if structure.broken == nil, structure.pages == 0 {
      structure.broken = "the page tree reaches no page"
    }
    structure.readCatalog(root)
    return structure
  }

  /// Takes one visit from the budget for `object`; `false` when it was seen before (each
  /// indirect object is visited once) or the budget is spent (which sets `tooComplex`).
  private mutating func visit(_ object: PDFObject) -> Bool {
    if let identity = object.identity, !seen.insert(identity).inserted { return false }
    guard budget > 0 else {
      if tooComplex == nil {
        tooComplex = "more than \(Self.maxVisits) pages, annotations, actions and name-tree nodes to check"
      }
      return false
    }
    budget -= 1
    return true
  }

  /// Depth-first over the page tree, without recursion; a node reached twice is a loop.
  private mutating func walkPages(_ tree: PDFObject) {
    var stack: [(node: PDFObject, depth: Int)] = [(tree, 0)]
    var visited: Set<ObjectIdentity> = []
    var nodes = 0
    while let (node, depth) = stack.popLast() {
      nodes += 1
      budget -= 1
      guard budget >= 0 else {
        tooComplex = "more than \(Self.maxVisits) pages, annotations, actions and name-tree nodes to check"
        return
      }
      guard nodes <= Self.maxNodes else {
        broken = "the page tree has more than \(Self.maxNodes) nodes"
        return
      }
      if let identity = node.identity, !visited.insert(identity).inserted {
        broken = "the page tree loops (object \(identity.number) \(identity.generation) R is reached twice)"
        return
      }
      guard depth <= Self.maxPageTreeDepth else {
        broken = "the page tree nests deeper than \(Self.maxPageTreeDepth) levels"
        return
      }
      let type = node["Type"]?.name
      if type == "Pages" || depth == 0, node["Kids"]?.kind != .array {
        broken =
          "the page tree node \(depth == 0 ? "at its root (/Pages)" : "/Pages") has no /Kids array: its pages cannot be found"
        return
      }
      if type != "Page", let kids = node["Kids"], kids.kind == .array {
        for kid in kids.items(limit: Self.maxNodes).reversed() where kid.kind == .dictionary {
          stack.append((kid, depth + 1))
        }
      } else if type == "Page" || node["Kids"] == nil {
        pages += 1
        readPage(node)
      }
    }
  }

  private mutating func readPage(_ page: PDFObject) {
    readAdditionalActions(page["AA"])
    // An /Annots array shared by many pages is read once, and so is each annotation.
    guard let annotations = page["Annots"], visit(annotations) else { return }
    for annotation in annotations.items(limit: Self.maxAnnotationsPerPage) where annotation.kind == .dictionary {
      guard visit(annotation) else {
        if tooComplex != nil { return }
        continue
      }
      if annotation["Subtype"]?.name == "FileAttachment" { hasAttachments = true }
      readAction(annotation["A"])
      readAdditionalActions(annotation["AA"])
    }
  }

  private mutating func readCatalog(_ root: PDFObject) {
    if let open = root["OpenAction"], open.kind == .dictionary { readAction(open) }
    readAdditionalActions(root["AA"])
    guard let names = root["Names"], names.kind == .dictionary else { return }
    if Self.nameTreeHasEntries(names["JavaScript"]) { actions.insert("JavaScript") }
    if Self.nameTreeHasEntries(names["EmbeddedFiles"]) { hasAttachments = true }
  }

  /// An `/AA` dictionary: every value is an action.
  private mutating func readAdditionalActions(_ dictionary: PDFObject?) {
    guard let dictionary, dictionary.kind == .dictionary, visit(dictionary) else { return }
    for key in [
      "E", "X", "D", "U", "Fo", "Bl", "PO", "PC", "PV", "PI", "O", "C", "K", "F", "V", "WC", "WS", "DS", "WP", "DP",
    ] {
      readAction(dictionary[key])
    }
  }

  /// An action and its `/Next` chain (a dictionary or an array of them), bounded.
  private mutating func readAction(_ action: PDFObject?) {
    guard let action else { return }
    var queue = [action]
    var steps = 0
    while let next = queue.popLast(), steps < Self.maxActionChain {
      steps += 1
      guard visit(next) else { continue }
      if next.kind == .array {
        queue.append(contentsOf: next.items(limit: Self.maxActionChain))
        continue
      }
      guard next.kind == .dictionary else { continue }
      if let kind = next["S"]?.name, PDFParser.linkActions.contains(kind) { actions.insert(kind) }
      if let chained = next["Next"] { queue.append(chained) }
    }
  }

  /// Whether a name tree holds at least one entry (`/Names` pairs in some reachable node).
  static func nameTreeHasEntries(_ tree: PDFObject?) -> Bool {
    guard let tree else { return false }
    var stack = [tree]
    var visited: Set<ObjectIdentity> = []
    var nodes = 0
    while let node = stack.popLast(), nodes < maxNameTreeNodes {
      nodes += 1
      if let identity = node.identity, !visited.insert(identity).inserted { continue }
      guard node.kind == .dictionary else { continue }
      if let names = node["Names"], names.itemCount >= 2 { return true }
      if let kids = node["Kids"] { stack.append(contentsOf: kids.items(limit: maxNameTreeNodes)) }
    }
    return false
  }
}
