/// The per-file rules: content type for the role, extension, size for the policy year,
/// emptiness, structure, hidden formats, encryption, links and attachments.
enum FileRules {
  static func check(
    _ inspection: FileInspection, file: ScannedFile, item: ItemManifest, policy: Policy, place: FindingPlace
  ) -> [Finding] {
    let name = file.name
    let ext = name.split(separator: ".").count > 1 ? String(name.split(separator: ".").last!).lowercased() : ""
    let shownExt = ext.isEmpty ? "（沒有副檔名）" : ".\(ext)"
    if inspection.bytes == 0 {
      return [
        Finding.make(
          .emptyFile, place,
          zh: "「\(name)」是空檔案（0 位元組），可能上傳時中斷了。請重新上傳。",
          en: "\(place.file ?? name) is empty (0 bytes); the upload probably failed. Ask the student to upload it again.")
      ]
    }
    let content = ContentNames.of(inspection.mime)
    let allowedHere = policy.allowedTypes(role: file.role)
    guard allowedHere.contains(inspection.mime) else {
      let otherRole: FileRole = file.role == .document ? .media : .document
      let details = [
        "mime": inspection.mime, "magic": inspection.magicDescription, "role": file.role.rawValue,
        "extension": ext, "policy": policy.id,
      ]
      if policy.allowedTypes(role: otherRole).contains(inspection.mime) {
        let here = file.role == .document ? "文件" : "影音"
        let there = otherRole == .document ? "文件" : "影音"
        return [
          Finding.make(
            .formatNotAllowed, place,
            zh: "「\(name)」是\(content.zh)，但放在\(here)欄位。請改放到\(there)欄位後重新上傳。",
            en: "\(place.file ?? name) is \(content.en) (libmagic: \(inspection.mime)) uploaded as a \(file.role.rawValue); "
              + "it is allowed only as a \(otherRole.rawValue).",
            details: details)
        ]
      }
      return [
        Finding.make(
          .formatNotAllowed, place,
          zh: "「\(name)」的檔名是 \(shownExt)，但內容其實是\(content.zh)，不是允許的格式（\(ContentNames.allowedList)）。\(content.advice)",
          en: "\(place.file ?? name): the name says \(ext.isEmpty ? "no extension" : "." + ext) but the content is \(content.en) "
            + "(libmagic: \(inspection.mime); \(inspection.magicDescription)). Allowed for a \(file.role.rawValue): "
            + "\(allowedHere.joined(separator: ", ")).",
          details: details)
      ]
    }
    var findings: [Finding] = []
    if let fitting = ContentNames.extensions[inspection.mime], !fitting.contains(ext) {
      let better = ContentNames.preferredExtension(inspection.mime) ?? ""
      findings.append(
        Finding.make(
          .extensionMismatch, place,
          zh: "「\(name)」的內容是\(content.zh)，但副檔名是 \(shownExt)。檔案可以使用；建議改成 .\(better)，以免其他系統打不開。",
          en: "\(place.file ?? name) is \(content.en) (libmagic: \(inspection.mime)) named \(shownExt); "
            + "accepted, and packaged as .\(better).",
          details: ["mime": inspection.mime, "extension": ext]))
    }
    let limit = policy.limit(role: file.role, kind: item.kind)
    if inspection.bytes > limit {
      let word = ContentNames.kindWord(inspection.mime, role: file.role)
      let year = item.academicYear
      let over = inspection.bytes - limit
      let consultation = item.kind == .consultation ? "諮詢紀錄" : ""
      let action = file.role == .media ? "請壓縮（例如降低解析度或剪短）後重新上傳" : "請壓縮或降低解析度後重新上傳"
      findings.append(
        Finding.make(
          .tooLarge, place,
          zh: "\(consultation)\(word)「\(name)」\(SizeText.mb(inspection.bytes))，超過 \(year) 學年度上限 \(SizeText.mb(limit))"
            + "（多了 \(SizeText.mb(over))），\(action)。",
          en: "\(place.file ?? name): \(inspection.bytes) bytes exceeds the \(limit)-byte (\(SizeText.mb(limit))) limit for a "
            + "\(item.kind == .consultation ? "consultation " : "")\(file.role.rawValue) of academic year \(year)"
            + "\(item.term.map { " term \($0)" } ?? "") under policy \(policy.id), by \(over) bytes.",
          details: [
            "bytes": String(inspection.bytes), "limit": String(limit), "over": String(over), "policy": policy.id,
            "academicYear": String(year),
          ]))
    }
    for problem in inspection.facts?.problems ?? [] {
      if let finding = structural(problem, name: name, item: item, place: place) { findings.append(finding) }
    }
    return findings
  }

  /// The finding for a structural problem; `nil` where the problem is allowed (links outside
  /// course outcomes: multiple performances may carry links).
  static func structural(_ problem: ContentProblem, name: String, item: ItemManifest, place: FindingPlace) -> Finding? {
    let path = place.file ?? name
    switch problem {
    case .corrupt(let reason):
      return Finding.make(
        .corruptFile, place,
        zh: "「\(name)」檔案已損毀或不完整，打不開。請用原始檔重新存檔（或重新匯出）後上傳。",
        en: "\(path) is corrupt: \(reason).", details: ["reason": reason])
    case .polyglot(let reason):
      return Finding.make(
        .polyglot, place,
        zh: "「\(name)」裡面藏有另一個檔案，基於安全不能接受。請重新匯出一份乾淨的檔案後上傳。",
        en: "\(path) hides a second format: \(reason).", details: ["reason": reason])
    case .encrypted:
      return Finding.make(
        .encryptedDocument, place,
        zh: "「\(name)」設有密碼保護，審查的老師和大學無法開啟。請取消密碼後重新上傳。",
        en: "\(path) is a password-protected PDF (/Encrypt); reviewers cannot open it.")
    case .links(let actions):
      if item.kind == .courseOutcome {
        return Finding.make(
          .linkInCourseOutcome, place,
          zh: "「\(name)」含有連結或程式動作。課程學習成果經老師認證後內容不能再改變，而連結的內容可能事後被修改，"
            + "所以不能有連結。請刪除連結後重新匯出 PDF 上傳；需要附網址的作品可放在多元表現。",
          en: "\(path) is a course-outcome document with \(actions.joined(separator: ", ")) actions; "
            + "course outcomes must contain no links (seed 003 Q32).",
          details: ["actions": actions.joined(separator: " ")])
      }
      return nil
    case .embeddedFiles:
      if item.kind == .courseOutcome {
        return Finding.make(
          .embeddedContent, place,
          zh: "「\(name)」的 PDF 裡夾帶了其他檔案（附件）。課程學習成果認證後不能改變，請移除附件後重新匯出 PDF 上傳。",
          en: "\(path) is a course-outcome PDF with embedded files (/EmbeddedFile); refused.")
      }
      return Finding.make(
        .embeddedContent, place,
        zh: "「\(name)」的 PDF 裡夾帶了其他檔案（附件），審查者可能看不到附件內容，建議移除附件後重新匯出。",
        en: "\(path) is a PDF with embedded files (/EmbeddedFile); accepted with a warning outside course outcomes.",
        severity: .warning)
    }
  }

  static func modified(_ place: FindingPlace, certified: String, actual: String) -> Finding {
    Finding.make(
      .modifiedAfterCertification, place,
      zh: "「\(place.label)」和老師認證時的檔案不一樣。認證後的作品不能修改；請上傳老師認證過的原檔，或請老師重新認證。",
      en: "\(place.file ?? place.label): SHA-256 \(actual.prefix(12))… differs from the certified \(certified.prefix(12))…; "
        + "the content changed after certification.",
      details: ["certifiedSha256": certified, "sha256": actual])
  }

  static func duplicate(_ place: FindingPlace, first: String) -> Finding {
    Finding.make(
      .duplicateFile, place,
      zh: "「\(place.label)」和你上傳過的另一個檔案內容完全相同。若是重複上傳，可以刪除其中一個。",
      en: "\(place.file ?? place.label) has the same content as \(first).", details: ["sameAs": first])
  }
}
