/// item.json read straight from its bytes into the very `ItemManifest` that `JSONDecoder` makes
/// of them — the common case, without the decoder's generic containers and coding paths, which
/// cost the scan more than reading the file — or `nil` as soon as the reader meets anything it
/// does not take on itself: a byte-order mark, a number with a fraction or an exponent, a value
/// of another type, a kind or role it does not know, a missing field. The caller then asks
/// `JSONDecoder`, whose first error is what the student is told; so a bad item.json reads as
/// before, and a good one is read once. Only for bytes in which `StrictJSON` found no problem
/// (valid UTF-8, one value, no duplicate key). A `transfer` (written by `import`, rare) is
/// handed to `JSONDecoder` by itself.
enum ItemJSONReader {
  static func manifest(_ bytes: [UInt8]) -> ItemManifest? {
    guard !bytes.starts(with: [0xEF, 0xBB, 0xBF]) else { return nil }
    return bytes.withUnsafeBufferPointer { JSONBytes.whole($0) { $0.itemManifest() } }
  }

  /// The item's text fields, in the order `itemManifest()` keeps them.
  static let itemTexts = [
    "courseCode", "category", "title", "summary", "uploadedAt", "startDate", "endDate", "externalLink",
  ]
  /// The details' fields (each a text, or an integer kept as its text).
  static let detailNames: Set<String> = ["level", "participation", "hours", "organizer", "award"]
  /// The certification's text fields, in the order `certification()` keeps them.
  static let certificationTexts = ["teacherId", "at", "reasonCode", "reason"]
}

extension JSONBytes {
  /// The item's fields, as `ItemManifest.init(from:)` decodes them.
  fileprivate mutating func itemManifest() -> ItemManifest? {
    var itemId: String?
    var kind: ItemKind?
    var academicYear: Int?
    var term: Int?
    var texts = [String?](repeating: nil, count: 8)
    var files: [ItemManifest.FileEntry]?
    var selected: Bool?
    var details: ItemManifest.Details?
    var certification: ItemManifest.Certification?
    var transfer: ItemManifest.Transfer?
    let read = object { reader, key in
      switch key {
      case "itemId": return reader.required(reader.string(), into: &itemId)
      case "kind": return reader.required(reader.string().flatMap(ItemKind.init(rawValue:)), into: &kind)
      case "academicYear": return reader.required(reader.integer(), into: &academicYear)
      case "term": return reader.optional(into: &term) { $0.integer() }
      case "files": return reader.required(reader.fileEntries(), into: &files)
      case "selected": return reader.optional(into: &selected) { $0.bool() }
      case "details": return reader.optional(into: &details) { $0.details() }
      case "certification": return reader.optional(into: &certification) { $0.certification() }
      case "transfer": return reader.optional(into: &transfer) { $0.decodedAlone(ItemManifest.Transfer.self) }
      default:
        guard let index = ItemJSONReader.itemTexts.firstIndex(of: key) else {
          return reader.skipUnknown(key, known: ItemManifest.CodingKeys.self)
        }
        return reader.optional(into: &texts[index]) { $0.string() }
      }
    }
    guard read, let itemId, let kind, let academicYear, let files else { return nil }
    return ItemManifest(
      itemId: itemId, kind: kind, academicYear: academicYear, term: term, courseCode: texts[0], category: texts[1],
      title: texts[2], summary: texts[3], uploadedAt: texts[4], startDate: texts[5], endDate: texts[6],
      externalLink: texts[7], details: details, files: files, certification: certification, selected: selected,
      transfer: transfer)
  }

  /// `files`: objects with a `name` and a `role`.
  fileprivate mutating func fileEntries() -> [ItemManifest.FileEntry]? {
    var entries: [ItemManifest.FileEntry] = []
    let read = array { reader in
      var name: String?
      var role: FileRole?
      let member = reader.object { reader, key in
        switch key {
        case "name": return reader.required(reader.string(), into: &name)
        case "role": return reader.required(reader.string().flatMap(FileRole.init(rawValue:)), into: &role)
        default: return reader.skipUnknown(key, known: ItemManifest.FileEntry.CodingKeys.self)
        }
      }
      guard member, let name, let role else { return false }
      entries.append(ItemManifest.FileEntry(name: name, role: role))
      return true
    }
    return read ? entries : nil
  }

  /// `details`: each field a string, or an integer kept as its text (`LooseString`).
  fileprivate mutating func details() -> ItemManifest.Details? {
    var values: [String: String] = [:]
    let read = object { reader, key in
      guard ItemJSONReader.detailNames.contains(key) else {
        return reader.skipUnknown(key, known: ItemManifest.Details.CodingKeys.self)
      }
      if reader.null() { return true }
      if let text = reader.string() ?? reader.integer().map(String.init) {
        values[key] = text
        return true
      }
      return false
    }
    return read ? ItemManifest.Details(named: { values[$0] }) : nil
  }

  /// `certification`: a status, texts, and the files' SHA-256 as a list of texts.
  fileprivate mutating func certification() -> ItemManifest.Certification? {
    var status: CertificationStatus?
    var texts = [String?](repeating: nil, count: 4)
    var sha256: [String]?
    let read = object { reader, key in
      switch key {
      case "status": return reader.required(reader.string().flatMap(CertificationStatus.init(rawValue:)), into: &status)
      case "sha256":
        return reader.optional(into: &sha256) { reader in
          var hashes: [String] = []
          let listed = reader.array { reader in
            guard let hash = reader.string() else { return false }
            hashes.append(hash)
            return true
          }
          return listed ? hashes : nil
        }
      default:
        guard let index = ItemJSONReader.certificationTexts.firstIndex(of: key) else {
          return reader.skipUnknown(key, known: ItemManifest.Certification.CodingKeys.self)
        }
        return reader.optional(into: &texts[index]) { $0.string() }
      }
    }
    guard read, let status else { return nil }
    return ItemManifest.Certification(
      status: status, teacherId: texts[0], at: texts[1], reasonCode: texts[2], reason: texts[3], sha256: sha256)
  }
}
