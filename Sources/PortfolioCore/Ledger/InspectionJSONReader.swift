/// A ledger row's inspection (the JSON `JSONEncoder` wrote for a `FileInspection`) read straight
/// from its bytes — each night reads one per file of the school — into the very value
/// `JSONDecoder` makes of it, or `nil` as soon as anything is not the plain form this program
/// writes (a number with an exponent, a key missing, a value of another type): the caller then
/// asks `JSONDecoder`. Content problems (a few files) are handed to `JSONDecoder` by themselves.
/// The ledger is this program's own file, read back; its text is valid UTF-8 (a Swift string).
enum InspectionJSONReader {
  static func inspection(_ text: String) -> FileInspection? {
    var text = text
    return text.withUTF8 { JSONBytes.whole($0) { $0.fileInspection() } }
  }
}

extension JSONBytes {
  /// `FileInspection`'s synthesized coding: its keys, `md5` and `facts` optional.
  fileprivate mutating func fileInspection() -> FileInspection? {
    var texts = [String?](repeating: nil, count: 4)
    var bytes: Int?
    var md5: String?
    var facts: ContentFacts?
    let textKeys = ["mime", "magicDescription", "sha256"]
    let read = object { reader, key in
      switch key {
      case "bytes": return reader.required(reader.integer(), into: &bytes)
      case "md5": return reader.optional(into: &md5) { $0.string() }
      case "facts": return reader.optional(into: &facts) { $0.contentFacts() }
      default:
        guard let index = textKeys.firstIndex(of: key) else {
          return reader.skipUnknown(key, known: FileInspection.CodingKeys.self)
        }
        return reader.required(reader.string(), into: &texts[index])
      }
    }
    guard read, let mime = texts[0], let description = texts[1], let sha256 = texts[2], let bytes else { return nil }
    return FileInspection(
      mime: mime, magicDescription: description, bytes: Int64(bytes), sha256: sha256, md5: md5, facts: facts)
  }

  /// `ContentFacts`' synthesized coding: the numbers optional, `problems` required.
  fileprivate mutating func contentFacts() -> ContentFacts? {
    var facts = ContentFacts()
    var problems: [ContentProblem]?
    let read = object { reader, key in
      switch key {
      case "pages": return reader.optional(into: &facts.pages) { $0.integer() }
      case "width": return reader.optional(into: &facts.width) { $0.integer() }
      case "height": return reader.optional(into: &facts.height) { $0.integer() }
      case "durationSeconds": return reader.optional(into: &facts.durationSeconds) { $0.decimal() }
      case "problems":
        if reader.emptyArray() {
          problems = []
          return true
        }
        return reader.required(reader.decodedAlone([ContentProblem].self), into: &problems)
      default: return reader.skipUnknown(key, known: ContentFacts.CodingKeys.self)
      }
    }
    guard read, let problems else { return nil }
    facts.problems = problems
    return facts
  }
}
