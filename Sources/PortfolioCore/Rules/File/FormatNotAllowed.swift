/// `format-not-allowed`: the sniffed content is not allowed for the file's role (or, in a
/// package, is not what the manifest declares). The message says what the file really is.
enum FormatNotAllowed: FileRule {
  static let code = Finding.Code.formatNotAllowed

  static func check(_ file: RuleFile, of item: RuleItem, in context: RuleContext) -> [Finding] {
    let policy = context.policy(for: item)
    let mime = file.inspection.mime
    if let declared = file.declaredMime, declared != mime {
      return [declaredMismatch(file, declared: declared)]
    }
    let allowedHere = policy.allowedTypes(role: file.role)
    if allowedHere.contains(mime) {
      return file.problems.compactMap { problem in
        guard case .unsupportedVariant(let content) = problem else { return nil }
        return unsupported(file, content)
      }
    }
    let otherRole: FileRole = file.role == .document ? .media : .document
    if policy.allowedTypes(role: otherRole).contains(mime) {
      return [wrongRole(file, otherRole: otherRole, policy: policy)]
    }
    return [notAllowed(file, allowed: allowedHere, policy: policy)]
  }

  private static func details(_ file: RuleFile, policy: Policy) -> [String: String] {
    [
      "mime": file.inspection.mime, "magic": file.inspection.magicDescription, "role": file.role.rawValue,
      "extension": file.claimedExtension, "policy": policy.id,
    ]
  }

  private static func wrongRole(_ file: RuleFile, otherRole: FileRole, policy: Policy) -> Finding {
    let content = ContentNames.of(file.inspection.mime)
    let here = file.role == .document ? "文件" : "影音"
    let there = otherRole == .document ? "文件" : "影音"
    return Finding(
      Self.self, file.place,
      zh: "「\(file.name)」是\(ContentNames.afterChinese(content.zh))，但放在\(here)欄位。請改放到\(there)欄位後重新上傳。",
      en: "\(file.place.file ?? file.name) is \(content.en) (libmagic: \(file.inspection.mime)) uploaded as a "
        + "\(file.role.rawValue); it is allowed only as a \(otherRole.rawValue).",
      evidence: Evidence(
        observed: "libmagic: \(file.inspection.mime)", expected: "a \(file.role.rawValue) type of \(policy.id)",
        source: "libmagic"),
      details: details(file, policy: policy))
  }

  private static func notAllowed(_ file: RuleFile, allowed: [String], policy: Policy) -> Finding {
    let content = ContentNames.of(file.inspection.mime)
    let ext = file.claimedExtension
    let shownExt = ext.isEmpty ? "（沒有副檔名）" : ".\(ext)"
    return Finding(
      Self.self, file.place,
      zh:
        "「\(file.name)」的檔名是 \(shownExt)，但內容其實是\(ContentNames.afterChinese(content.zh))，不是允許的格式（\(ContentNames.allowedList)）。"
        + content.advice,
      en: "\(file.place.file ?? file.name): the name says \(ext.isEmpty ? "no extension" : "." + ext) but the content "
        + "is \(content.en) (libmagic: \(file.inspection.mime); \(file.inspection.magicDescription)). "
        + "Allowed for a \(file.role.rawValue): \(allowed.joined(separator: ", ")).",
      evidence: Evidence(
        observed: "libmagic: \(file.inspection.mime)",
        expected: ext.isEmpty ? allowed.joined(separator: ", ") : "name says .\(ext)", source: "libmagic"),
      details: details(file, policy: policy))
  }

  /// An allowed container holding what browsers cannot show (a JPEG coding process, an MP4 codec).
  private static func unsupported(_ file: RuleFile, _ content: UnsupportedContent) -> Finding {
    Finding(
      Self.self, file.place,
      zh:
        "「\(file.name)」雖然是\(ContentNames.afterChinese(ContentNames.of(file.inspection.mime).zh))檔，但內容是\(ContentNames.afterChinese(content.zh))，"
        + "審查者的瀏覽器無法開啟。\(content.advice)",
      en: "\(file.place.file ?? file.name) is \(content.en) inside \(file.inspection.mime); browsers cannot show it.",
      evidence: Evidence(
        observed: content.en, expected: "what browsers show in \(file.inspection.mime)", source: file.parserName),
      details: ["mime": file.inspection.mime, "content": content.en])
  }

  private static func declaredMismatch(_ file: RuleFile, declared: String) -> Finding {
    let mime = file.inspection.mime
    return Finding(
      Self.self, file.place,
      zh: "檔案內容（\(ContentNames.of(mime).zh)）與清單的類型不符。",
      en: "content is \(mime); the manifest says \(declared) as a \(file.role.rawValue)",
      evidence: Evidence(observed: "libmagic: \(mime)", expected: "manifest says \(declared)", source: "libmagic"),
      details: ["mime": mime])
  }
}
