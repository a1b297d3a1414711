/// `modified-after-certification`: the content differs from what the teacher certified —
/// the SHA-256 item.json records, or (when item.json carries none) what the ledger remembers.
enum ModifiedAfterCertification: FileRule {
  static let code = Finding.Code.modifiedAfterCertification

  static func check(_ file: RuleFile, of item: RuleItem, in context: RuleContext) -> [Finding] {
    let actual = file.inspection.sha256
    // A file over every limit is not hashed: `too-large` refuses it, nothing is known of its content.
    guard !actual.isEmpty else { return [] }
    if let certified = file.certifiedSHA256, certified.lowercased() != actual {
      return [finding(file, certified: certified, source: "item.json certification.sha256")]
    }
    guard context.isDrop, item.kind == .courseOutcome, file.inspection.bytes > 0,
      let certification = item.certification, certification.status == .passed, certification.sha256 == nil,
      let key = file.key, let remembered = context.memory.certified[key], remembered.sha256 != actual,
      !isNewer(certification.at, than: remembered.at, context)
    else { return [] }
    return [finding(file, certified: remembered.sha256, source: "ledger")]
  }

  /// A certification later than the remembered one is the teacher certifying the current
  /// content again: what the ledger remembers is out of date, not the file.
  private static func isNewer(_ at: String?, than remembered: String?, _ context: RuleContext) -> Bool {
    guard let at, let now = Timestamps.parse(at, timeZone: context.timeZone) else { return false }
    guard let remembered, let then = Timestamps.parse(remembered, timeZone: context.timeZone) else { return true }
    return now > then
  }

  private static func finding(_ file: RuleFile, certified: String, source: String) -> Finding {
    let actual = file.inspection.sha256
    return Finding(
      Self.self, file.place,
      zh: "「\(file.place.label)」和老師認證時的檔案不一樣。認證後的作品不能修改；請上傳老師認證過的原檔，或請老師重新認證。",
      en: "\(file.place.file ?? file.place.label): SHA-256 \(actual.prefix(12))… differs from the certified "
        + "\(certified.prefix(12))…; the content changed after certification.",
      evidence: Evidence(observed: "SHA-256 \(actual)", expected: "SHA-256 \(certified)", source: source),
      details: ["certifiedSha256": certified, "sha256": actual])
  }
}

extension RuleFile {
  /// The ledger's key of this file (drop directories only).
  var key: FileKey? {
    guard let student = place.studentNumber, let item = place.itemId else { return nil }
    return FileKey(item: ItemKey(studentNumber: student, itemId: item), fileName: name)
  }
}
