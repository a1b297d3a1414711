import Foundation

/// `bad-metadata`: item.json, school.json or a CSV missing, unparsable, or with a required field
/// absent or malformed — the field, column or row is always named. Also the item fields the
/// field specification constrains (title length, dates, return reasons, upload times), checked
/// before anything is packaged.
enum BadMetadata: ItemRule {
  static let code = Finding.Code.badMetadata

  static func check(_ item: RuleItem, of student: RuleStudent, in context: RuleContext) -> [Finding] {
    var findings: [Finding] = []
    if let title = item.title, TextRules.visibleLength(title) > context.table.title.maxGraphemes {
      findings.append(
        titleTooLong(item, length: TextRules.visibleLength(title), limit: context.table.title.maxGraphemes))
    }
    guard student.record != nil else { return findings }
    if item.kind == .multiplePerformance, let start = item.startDate {
      if let startISO = SchoolDates.isoDate(start) {
        if let end = item.endDate, let endISO = SchoolDates.isoDate(end), endISO < startISO {
          findings.append(
            field(
              item, "endDate", zh: "結束日期早於開始日期，請重新選擇日期",
              en: "endDate \(endISO) is before startDate \(startISO)", observed: endISO))
        }
      } else {
        findings.append(
          field(
            item, "startDate", zh: "開始日期格式錯誤，請重新選擇日期",
            en: "startDate \"\(start)\" is not a date", observed: start))
      }
    }
    if item.kind == .courseOutcome, let certification = item.certification, certification.status == .returned,
      certification.reason == nil, !["01", "02", "03", "04"].contains(certification.reasonCode ?? "")
    {
      findings.append(
        Finding(
          Self.self, item.place, zh: "作品\(item.label)被退回，但沒有退回原因，請詢問授課老師。",
          en: "\(item.id): certification returned without a reasonCode (01–04) or reason.",
          evidence: Evidence(
            observed: certification.reasonCode ?? "no reason", expected: "reasonCode 01–04 or a reason",
            source: "item.json"),
          details: ["field": "certification.reasonCode"]))
    }
    if context.isDrop { findings += fieldProblems(item) }
    return findings
  }

  /// The fields of an item the manifest's schema constrains, checked before packaging: each
  /// problem names its field (never a silent `outside-enrollment` or a broken package later).
  static func fieldProblems(_ item: RuleItem) -> [Finding] {
    var problems: [(field: String, zh: String, problem: String, observed: String)] = []
    if item.kind != .consultation, (item.title ?? "").unicodeScalars.allSatisfy(CharacterSet.whitespaces.contains) {
      problems.append(("title", "標題", "a title is required", item.title ?? "no title"))
    }
    if !AcademicYears.valid.contains(item.academicYear) {
      let gregorian = (2019...2110).contains(item.academicYear)
      problems.append(
        (
          "academicYear", gregorian ? "學年度（請用民國年，例如 \(item.academicYear - 1911)，不是西元 \(item.academicYear)）" : "學年度",
          gregorian
            ? "\(item.academicYear) is a Gregorian year; the academic year is the Minguo year "
              + "(\(item.academicYear - 1911) for the year starting in August \(item.academicYear))"
            : "\(item.academicYear) is not a Minguo academic year \(AcademicYears.text)",
          String(item.academicYear)
        ))
    }
    if let term = item.term, ![1, 2].contains(term) {
      problems.append(("term", "學期", "term \(term) is not 1 or 2", String(term)))
    }
    let uploaded = item.uploadedAt ?? ""
    if !item.imported, !FieldRules.isTimestampWithOffset(uploaded) {
      problems.append(
        ("uploadedAt", "上傳時間", "uploadedAt \"\(uploaded)\" is not an ISO 8601 time with an offset", uploaded))
    }
    if let at = item.certification?.at, !FieldRules.isTimestampWithOffset(at) {
      problems.append(
        ("certification.at", "認證時間", "certification.at \"\(at)\" is not an ISO 8601 time with an offset", at))
    }
    if let code = item.certification?.reasonCode, !["01", "02", "03", "04"].contains(code) {
      problems.append(("certification.reasonCode", "退回原因代碼", "reasonCode \"\(code)\" is not 01–04", code))
    }
    problems += performanceProblems(item)
    return problems.map { field, zh, problem, observed in
      Finding(
        Self.self, item.place,
        zh: field == "uploadedAt" && !uploaded.isEmpty
          ? "作品\(item.label)的上傳時間格式錯誤，請告訴學校資訊組。" : "作品\(item.label)的\(zh)不正確，請修正後重新送出。",
        en: "\(item.id): \(problem).",
        evidence: Evidence(observed: observed, expected: problem, source: "item.json \(field)"),
        details: ["field": field])
    }
  }

  /// A multiple performance's category, details, end date and external link.
  private static func performanceProblems(_ item: RuleItem) -> [(String, String, String, String)] {
    guard item.kind == .multiplePerformance else { return [] }
    var problems: [(String, String, String, String)] = []
    if let category = item.category, !FieldRules.categories.contains(category) {
      problems.append(("category", "類別", "category \"\(category)\" is not one of the field specification's", category))
    }
    if let level = item.details?.level?.text, !["1", "2", "3", "4", "5", "9"].contains(level) {
      problems.append(("details.level", "等級", "level \"\(level)\" is not a level code (1–5, 9)", level))
    }
    if let participation = item.details?.participation?.text, !["1", "2"].contains(participation) {
      problems.append(
        ("details.participation", "參與方式", "participation \"\(participation)\" is not 1 or 2", participation))
    }
    if let hours = item.details?.hours?.text, !FieldRules.isDecimal(hours, in: 0...Double(Int32.max)) {
      problems.append(("details.hours", "時數", "hours \"\(hours)\" is not a number of hours ≥ 0", hours))
    }
    if let end = item.endDate, SchoolDates.isoDate(end) == nil {
      problems.append(("endDate", "結束日期", "endDate \"\(end)\" is not a date", end))
    }
    if let link = item.externalLink, let problem = FieldRules.linkProblem(link) {
      problems.append(
        ("externalLink", "外部連結（只能是 http 或 https 網址，最多 500 字）", "externalLink: \(problem)", String(link.prefix(80))))
    }
    return problems
  }

  static func studentName(file: String, row: Int, student: String, problem: String) -> Finding {
    Finding(
      Self.self, FindingPlace(studentNumber: student, file: file),
      zh: "學生名冊中你的姓名格式不正確（\(problem.contains("characters") ? "太長" : "有看不見的字元或空白")），資料無法送到中央資料庫。請向學校註冊組確認。",
      en: "\(file) row \(row): \(problem) (the field specification allows 1–40 characters of text); "
        + "this student gets no package until it is fixed.",
      evidence: Evidence(observed: problem, expected: "1–40 characters of text", source: "\(file) row \(row)"),
      details: ["row": String(row), "field": "name"], blocks: .identity)
  }

  private static func titleTooLong(_ item: RuleItem, length: Int, limit: Int) -> Finding {
    Finding(
      Self.self, item.place, zh: "作品\(item.label)的標題超過 \(limit) 字，請縮短後重新送出。",
      en: "\(item.id): title has \(length) characters; the field specification allows 1–\(limit).",
      evidence: Evidence(
        observed: "\(length) characters", expected: "1–\(limit) characters", source: "item.json title"),
      details: ["field": "title"])
  }

  private static func field(_ item: RuleItem, _ name: String, zh: String, en: String, observed: String) -> Finding {
    Finding(
      Self.self, item.place, zh: "作品\(item.label)的\(zh)。", en: "\(item.id): \(en).",
      evidence: Evidence(observed: observed, expected: "a date (2023-09-01)", source: "item.json \(name)"),
      details: ["field": name])
  }

  // MARK: metadata files (scanner)

  /// A required file of the drop (school.json, students.csv, courses.csv, item.json) is absent.
  static func missingMetadata(_ place: FindingPlace) -> Finding {
    Finding(
      Self.self, place, zh: "缺少 \(place.label)，系統無法處理，請聯絡學校資訊組。", en: "\(place.file ?? place.label) is missing.",
      evidence: Evidence(observed: "no such file", expected: place.label, source: "drop directory"),
      details: ["reason": "missing"])
  }

  static func metadataTooLarge(_ place: FindingPlace, bytes: Int64, cap: Int) -> Finding {
    Finding(
      Self.self, place, zh: "\(place.label) 檔案過大，系統無法處理，請聯絡學校資訊組。",
      en: "\(place.file ?? place.label) has \(bytes) bytes, over the \(cap)-byte cap.",
      evidence: Evidence(observed: "\(bytes) bytes", expected: "at most \(cap) bytes", source: "fstat"),
      details: ["bytes": String(bytes)])
  }

  /// item.json is unusable: the problem names the field; `recognisedBy` (a title that could
  /// still be read, the files in the folder) lets the notice name the upload for the student.
  static func itemJSON(
    _ place: FindingPlace, field: String, problem: String, recognisedBy clues: [String: String] = [:]
  ) -> Finding {
    Finding(
      Self.self, place,
      zh: "這筆上傳的資料內容有誤，系統無法處理，所以這次沒有檢查它的檔案。請在平台上重新儲存這筆作品後再上傳；若仍然失敗，請告訴學校資訊組。",
      en: "\(place.file ?? "item.json"): \(problem). The item was not processed.",
      evidence: Evidence(observed: problem, source: "item.json"),
      details: clues.merging(["field": field]) { _, new in new })
  }

  /// An entry of uploads/ that has the wrong kind or name; `what` says what was expected.
  static func folderEntry(
    _ place: FindingPlace, name: String, relative: String, what: (zh: String, en: String, rule: String), isFile: Bool
  ) -> Finding {
    if isFile {
      return Finding(
        Self.self, place, zh: "「\(name)」應該是\(what.zh)，卻是一個檔案，系統不會處理。請聯絡學校資訊組。",
        en: "\(relative) is a file where a \(what.en) is expected; it was ignored.",
        evidence: Evidence(observed: "a file", expected: "a \(what.en)", source: "directory listing"),
        details: ["reason": "file where a folder is expected"])
    }
    return Finding(
      Self.self, place, zh: "\(what.zh)名稱「\(name)」不符合規定，系統不會處理。請聯絡學校資訊組。",
      en: "\(relative): the \(what.en) name must be \(what.rule); it was ignored.",
      evidence: Evidence(observed: name, expected: what.rule, source: "drop contract"),
      details: ["reason": "bad folder name"])
  }

  // MARK: CSV tables

  static func duplicateStudent(file: String, number: String, row: Int) -> Finding {
    Finding(
      Self.self, FindingPlace(studentNumber: number, file: file), zh: "學號 \(number) 在學生名冊中重複出現，請聯絡學校註冊組。",
      en: "\(file) row \(row): student \(number) appears more than once; only the first row is used.",
      evidence: Evidence(observed: "student \(number) again", expected: "one row per student", source: file),
      details: ["row": String(row)])
  }

  static func badRow(file: String, row: Int, expected: String, student: String?) -> Finding {
    Finding(
      Self.self, FindingPlace(studentNumber: student, file: file), zh: "\(file) 第 \(row) 列資料不完整或格式錯誤，請聯絡學校資訊組。",
      en: "\(file) row \(row) is missing or malforms a required value: \(expected). The row was skipped.",
      evidence: Evidence(expected: expected, source: "\(file) row \(row)"), details: ["row": String(row)])
  }

  /// One column of a row is missing or malformed: the column is named, a personal value only by
  /// its shape (`####/##/##`).
  static func badField(file: String, row: Int, column: String, student: String?, problem: String, zh: String)
    -> Finding
  {
    Finding(
      Self.self, FindingPlace(studentNumber: student, file: file),
      zh: "\(file) 第 \(row) 列的「\(column)」欄位\(zh)，這一列沒有讀入，請聯絡學校註冊組。",
      en: "\(file) row \(row): \(problem); the row was skipped.",
      evidence: Evidence(observed: problem, expected: "a valid \(column)", source: "\(file) row \(row)"),
      details: ["row": String(row), "field": column])
  }

  static func unknownIDType(file: String, row: Int, student: String, value: String) -> Finding {
    Finding(
      Self.self, FindingPlace(studentNumber: student, file: file),
      zh: "\(file) 第 \(row) 列的證件類型「\(value)」無法辨識，身分證明號碼無法檢查，請聯絡學校註冊組。",
      en:
        "\(file) row \(row): idType \"\(value)\" is not national-id, resident-certificate or other; the row was skipped.",
      evidence: Evidence(
        observed: value, expected: "national-id, resident-certificate or other", source: "\(file) row \(row)"),
      details: ["row": String(row), "field": "idType"], blocks: .identity)
  }

  // MARK: import

  static func importFromOtherSchool(package name: String, made: String, given: String) -> Finding {
    Finding(
      Self.self, FindingPlace(file: name), zh: "轉入封包「\(name)」：封包來自學校 \(made)，不是指定的 \(given)。",
      en: "\(name): the package was made by school \(made), not \(given) as given with --from-school",
      evidence: Evidence(observed: made, expected: given, source: "manifest.xml schoolCode"))
  }
}
