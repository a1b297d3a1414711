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
    if let uploaded = item.uploadedAt, context.isDrop, item.kind != .consultation, !item.imported,
      context.windows.contains(where: { $0.applies(kind: item.kind, academicYear: item.academicYear, term: item.term) }
      ),
      Timestamps.parse(uploaded, timeZone: context.timeZone) == nil
    {
      findings.append(
        Finding(
          Self.self, item.place, zh: "作品\(item.label)的上傳時間格式錯誤，請告訴學校資訊組。",
          en: "\(item.id): uploadedAt \"\(uploaded)\" is not an ISO 8601 time.",
          evidence: Evidence(observed: uploaded, expected: "an ISO 8601 time", source: "item.json"),
          details: ["field": "uploadedAt"]))
    }
    return findings
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

  /// item.json is unusable: the problem names the field.
  static func itemJSON(_ place: FindingPlace, field: String, problem: String) -> Finding {
    Finding(
      Self.self, place,
      zh: "這筆作品的資料（item.json）有誤（\(field)），系統無法處理。請在平台上重新送出這筆作品；若仍失敗，請告訴學校資訊組。",
      en: "\(place.file ?? "item.json"): \(problem). The item was not processed.",
      evidence: Evidence(observed: problem, source: "item.json"), details: ["field": field])
  }

  static func schoolJSON(_ place: FindingPlace, field: String, problem: String) -> Finding {
    Finding(
      Self.self, place, zh: "school.json 內容有誤（\(field)），請聯絡學校資訊組。", en: "school.json: \(problem)",
      evidence: Evidence(observed: problem, source: "school.json"), details: ["field": field])
  }

  static func schoolType(_ place: FindingPlace, _ type: String) -> Finding {
    Finding(
      Self.self, place, zh: "school.json 的學校類型「\(type)」不正確，請聯絡學校資訊組。",
      en: "school.json: schoolType \"\(type)\" is not one of the field specification's types.",
      evidence: Evidence(observed: type, expected: "a school type of the field specification", source: "school.json"),
      details: ["field": "schoolType"])
  }

  static func timeZone(_ place: FindingPlace, _ name: String) -> Finding {
    Finding(
      Self.self, place, zh: "school.json 的時區「\(name)」無法辨識，請聯絡學校資訊組。",
      en:
        "school.json: timeZone \"\(name)\" is not a known time zone; times without an offset are read as Asia/Taipei.",
      evidence: Evidence(observed: name, expected: "an IANA time zone such as Asia/Taipei", source: "school.json"),
      details: ["field": "timeZone"])
  }

  static func window(_ place: FindingPlace, index: Int, _ window: SchoolSettings.UploadWindow) -> Finding {
    Finding(
      Self.self, place, zh: "school.json 第 \(index + 1) 個上傳期間的時間格式錯誤，請聯絡學校資訊組。",
      en: "school.json: windows[\(index)] opens \"\(window.opens)\" / closes \"\(window.closes)\" is not an ISO 8601 "
        + "time; uploads are not judged against it until it is fixed.",
      evidence: Evidence(
        observed: "\(window.opens) – \(window.closes)", expected: "ISO 8601 times", source: "school.json"),
      details: ["field": "windows[\(index)]"])
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

  static func missingTable(_ place: FindingPlace, _ name: String) -> Finding {
    Finding(
      Self.self, place, zh: "學校尚未提供 \(name)，請聯絡學校資訊組。",
      en: "\(name) is missing from the drop directory; it is required.",
      evidence: Evidence(observed: "no such file", expected: name, source: "drop directory"),
      details: ["reason": "missing"])
  }

  static func tableTooLarge(_ place: FindingPlace, _ name: String, bytes: Int64, cap: Int) -> Finding {
    Finding(
      Self.self, place, zh: "\(name) 檔案過大，無法讀取，請聯絡學校資訊組。",
      en: "\(name) has \(bytes) bytes, over the \(cap)-byte cap for a CSV file.",
      evidence: Evidence(observed: "\(bytes) bytes", expected: "at most \(cap) bytes", source: "fstat"),
      details: ["bytes": String(bytes)])
  }

  static func tableNotUTF8(_ place: FindingPlace, _ name: String) -> Finding {
    Finding(
      Self.self, place, zh: "\(name) 不是 UTF-8 編碼，請聯絡學校資訊組。",
      en: "\(name) is not UTF-8 (Big5 from Excel?). Save it as \"CSV UTF-8\" and rerun.",
      evidence: Evidence(observed: "bytes that are not UTF-8", expected: "UTF-8", source: name),
      details: ["reason": "not UTF-8"])
  }

  static func tableUnparsable(_ place: FindingPlace, _ name: String, error: String) -> Finding {
    Finding(
      Self.self, place, zh: "\(name) 格式錯誤，請聯絡學校資訊組。", en: "\(name) could not be parsed as CSV: \(error).",
      evidence: Evidence(observed: error, expected: "CSV with a header row", source: "CSV reader"),
      details: ["reason": error])
  }

  static func missingColumn(_ place: FindingPlace, _ name: String, column: String, header: [String]) -> Finding {
    Finding(
      Self.self, place, zh: "\(name) 缺少必要欄位「\(column)」，請聯絡學校資訊組。",
      en: "\(name) has no column \"\(column)\" (required). Columns found: \(header.joined(separator: ", ")).",
      evidence: Evidence(observed: header.joined(separator: ","), expected: "a column \(column)", source: name),
      details: ["column": column])
  }

  static func tableStops(_ place: FindingPlace, _ name: String, row: Int, error: String) -> Finding {
    Finding(
      Self.self, place, zh: "\(name) 第 \(row) 列之後格式錯誤，請聯絡學校資訊組。",
      en: "\(name) stops parsing after row \(row): \(error).",
      evidence: Evidence(observed: error, source: "CSV reader"), details: ["row": String(row)])
  }

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

  static func unknownIDType(file: String, row: Int, student: String, value: String) -> Finding {
    Finding(
      Self.self, FindingPlace(studentNumber: student, file: file),
      zh: "\(file) 第 \(row) 列的證件類型「\(value)」無法辨識，身分證明號碼無法檢查，請聯絡學校註冊組。",
      en:
        "\(file) row \(row): idType \"\(value)\" is not national-id, resident-certificate or other; the row was skipped.",
      evidence: Evidence(
        observed: value, expected: "national-id, resident-certificate or other", source: "\(file) row \(row)"),
      details: ["row": String(row), "field": "idType"])
  }

  // MARK: import

  static func importFromOtherSchool(package name: String, made: String, given: String) -> Finding {
    Finding(
      Self.self, FindingPlace(file: name), zh: "轉入封包「\(name)」：封包來自學校 \(made)，不是指定的 \(given)。",
      en: "\(name): the package was made by school \(made), not \(given) as given with --from-school",
      evidence: Evidence(observed: made, expected: given, source: "manifest.xml schoolCode"))
  }
}
