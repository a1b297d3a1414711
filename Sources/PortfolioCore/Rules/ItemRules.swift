import Foundation

/// The rules of items and students: text, certification, selection limits, school caps and
/// windows, enrollment, course records, ID numbers and rare characters.
struct ItemContext {
  let scan: DropScan
  let table: PolicyTable
  let timeZone: TimeZone
  private var policies: [PolicyYear: Policy] = [:]

  /// The items whose item.json could be used, computed once.
  private let usableItems: [(ScannedItem, ItemManifest)]
  private let usableByStudent: [String: [(ScannedItem, ItemManifest)]]

  init(scan: DropScan, table: PolicyTable) {
    self.scan = scan
    self.table = table
    timeZone = scan.school?.timeZone.flatMap(TimeZone.init(identifier:)) ?? TimeZone(identifier: "Asia/Taipei")!
    usableItems = scan.items.compactMap { item in item.manifest.map { (item, $0) } }
    usableByStudent = Dictionary(grouping: usableItems, by: { $0.0.studentNumber })
  }

  /// The policy year of an item: its academic year and term (term 1 when it has none).
  static func policyYear(_ item: ItemManifest) -> PolicyYear {
    PolicyYear(academicYear: item.academicYear, term: item.term ?? 1)
  }

  mutating func policy(for item: ItemManifest) -> Policy {
    let year = Self.policyYear(item)
    if let known = policies[year] { return known }
    let found = table.policy(for: year)
    policies[year] = found
    return found
  }

  private func place(_ item: ScannedItem, _ manifest: ItemManifest) -> FindingPlace {
    FindingPlace(studentNumber: item.studentNumber, itemId: manifest.itemId, shortName: manifest.title ?? manifest.itemId)
  }

  // MARK: items

  func itemFindings() -> [Finding] {
    var findings: [Finding] = []
    for (item, manifest) in usableItems {
      let place = place(item, manifest)
      let label = "「\(manifest.title ?? manifest.itemId)」"
      findings += textFindings(manifest, place: place, label: label)
      guard let student = scan.roster.students[item.studentNumber] else { continue }
      findings += enrollmentFindings(manifest, student: student, place: place, label: label)
      if manifest.kind == .courseOutcome {
        findings += courseFindings(manifest, studentNumber: item.studentNumber, place: place, label: label)
      }
      if let window = windowFinding(manifest, place: place, label: label) { findings.append(window) }
    }
    findings += capFindings()
    return findings
  }

  private func textFindings(_ item: ItemManifest, place: FindingPlace, label: String) -> [Finding] {
    var findings: [Finding] = []
    let fields: [(String, String?)] = [("title", item.title), ("summary", item.summary)]
      + item.files.map { ("files.name", $0.name) }
    for (field, value) in fields {
      guard let value, let bad = TextRules.forbiddenScalar(in: value) else { continue }
      findings.append(
        Finding.make(
          .invalidText, place,
          zh: "作品\(label)的\(field == "title" ? "標題" : field == "summary" ? "簡述" : "檔名")含有看不見的控制字元，請重新輸入文字後再送出。",
          en: "\(item.itemId): \(field) holds \(TextRules.codePoint(bad)), a control or non-character.",
          details: ["field": field, "codePoint": TextRules.codePoint(bad)]))
    }
    if let summary = item.summary {
      let visible = TextRules.visibleLength(summary)
      let scalars = summary.precomposedStringWithCanonicalMapping.unicodeScalars.count
      if visible > table.summary.maxGraphemes || scalars > table.summary.maxScalars {
        let over = visible - table.summary.maxGraphemes
        findings.append(
          Finding.make(
            .summaryTooLong, place,
            zh: over > 0
              ? "作品\(label)的簡述有 \(visible) 個字，超過上限 \(table.summary.maxGraphemes) 字（多了 \(over) 字），請刪減後重新送出。"
              : "作品\(label)的簡述含有大量組合符號，資料量超過上限，請改用一般文字後重新送出。",
            en: "\(item.itemId): summary has \(visible) characters (grapheme clusters, NFC) and \(scalars) Unicode scalars; "
              + "limits \(table.summary.maxGraphemes) and \(table.summary.maxScalars).",
            details: ["characters": String(visible), "scalars": String(scalars), "limit": String(table.summary.maxGraphemes)]))
      }
    }
    if let title = item.title, TextRules.visibleLength(title) > table.title.maxGraphemes {
      findings.append(
        .badMetadata(
          place, zh: "作品\(label)的標題超過 \(table.title.maxGraphemes) 字，請縮短後重新送出。",
          en: "\(item.itemId): title has \(TextRules.visibleLength(title)) characters; the field specification allows 1–\(table.title.maxGraphemes).",
          details: ["field": "title"]))
    }
    return findings
  }

  private func enrollmentFindings(_ item: ItemManifest, student: Student, place: FindingPlace, label: String) -> [Finding] {
    var findings: [Finding] = []
    let last = student.lastAcademicYear
    if !student.isEnrolled(in: item.academicYear) {
      findings.append(
        Finding.make(
          .outsideEnrollment, place,
          zh: "作品\(label)登記在 \(item.academicYear) 學年度，但你在校的學年度是 \(student.enrollmentYear)–\(last)。"
            + "學習歷程只收在學期間的資料，請確認學年度是否選錯。",
          en: "\(item.itemId): academic year \(item.academicYear) is outside the student's enrollment \(student.enrollmentYear)–\(last).",
          details: ["academicYear": String(item.academicYear), "enrollment": "\(student.enrollmentYear)-\(last)"]))
    }
    if item.kind == .multiplePerformance, let start = item.startDate {
      let earliest = "\(student.enrollmentYear + 1911)-07-01"
      guard let startISO = SchoolDates.isoDate(start) else {
        findings.append(
          .badMetadata(place, zh: "作品\(label)的開始日期格式錯誤，請重新選擇日期。", en: "\(item.itemId): startDate \"\(start)\" is not a date.",
                       details: ["field": "startDate"]))
        return findings
      }
      if startISO < earliest {
        findings.append(
          Finding.make(
            .beforeEnrollment, place,
            zh: "多元表現\(label)的日期是 \(startISO)，早於入學年的 7 月 1 日（\(earliest)）。國中時期的表現不能放入高中學習歷程。",
            en: "\(item.itemId): startDate \(startISO) is before 1 July of the enrollment year (\(earliest)).",
            details: ["startDate": startISO, "earliest": earliest]))
      }
      if let end = item.endDate, let endISO = SchoolDates.isoDate(end), endISO < startISO {
        findings.append(
          .badMetadata(place, zh: "作品\(label)的結束日期早於開始日期，請重新選擇日期。",
                       en: "\(item.itemId): endDate \(endISO) is before startDate \(startISO).", details: ["field": "endDate"]))
      }
    }
    return findings
  }

  private func courseFindings(_ item: ItemManifest, studentNumber: String, place: FindingPlace, label: String) -> [Finding] {
    var findings: [Finding] = []
    // An imported outcome belongs to a course of the sending school, carried with it.
    let carried = item.transfer?.course.flatMap { carried in
      carried.code == item.courseCode && carried.academicYear == item.academicYear && carried.term == item.term
        ? CourseRecord(
          studentNumber: studentNumber, academicYear: carried.academicYear, term: carried.term, courseCode: carried.code,
          courseName: carried.name, credits: carried.credits, score: carried.score, passed: carried.passed, teacherIds: [])
        : nil
    }
    let course = carried ?? scan.roster.courses.first {
      $0.studentNumber == studentNumber && $0.academicYear == item.academicYear && $0.term == item.term
        && $0.courseCode == item.courseCode
    }
    if course == nil {
      findings.append(
        Finding.make(
          .unknownCourse, place,
          zh: "課程學習成果\(label)選的課程（\(item.courseCode ?? "")）不在你 \(item.academicYear) 學年度第 \(item.term ?? 0) 學期的修課紀錄中，"
            + "請確認選對課程；若修課紀錄有誤，請告訴教務處。",
          en: "\(item.itemId): course \(item.courseCode ?? "") is not in the student's course records for \(item.academicYear)-\(item.term ?? 0).",
          details: ["courseCode": item.courseCode ?? ""]))
    }
    guard let certification = item.certification else { return findings }
    if certification.status == .returned, certification.reason == nil,
      !["01", "02", "03", "04"].contains(certification.reasonCode ?? "")
    {
      findings.append(
        .badMetadata(place, zh: "作品\(label)被退回，但沒有退回原因，請詢問授課老師。",
                     en: "\(item.itemId): certification returned without a reasonCode (01–04) or reason.",
                     details: ["field": "certification.reasonCode"]))
    }
    if let teacher = certification.teacherId, let course, certification.status != .pending, item.transfer == nil,
      !course.teacherIds.contains(teacher)
    {
      findings.append(
        Finding.make(
          .certifierNotTeacher, place,
          zh: "作品\(label)的認證老師不是這門課的授課老師，認證無效。請授課老師重新認證。",
          en: "\(item.itemId): certified by \(teacher), who does not teach \(course.courseCode) (teachers: \(course.teacherIds.joined(separator: ", "))).",
          details: ["teacherId": teacher, "courseTeachers": course.teacherIds.joined(separator: ";")]))
    }
    if item.selected == true, certification.status != .passed {
      let state = certification.status == .pending ? "還沒有通過老師認證" : "被老師退回了"
      let reason = certification.reason.map { "（老師說明：\($0)）" } ?? ""
      findings.append(
        Finding.make(
          .notCertified, place,
          zh: "你勾選了課程學習成果\(label)要送出，但它\(state)\(reason)。只有認證通過的成果可以勾選；請等老師認證，或改選其他成果。",
          en: "\(item.itemId): selected for submission but certification is \(certification.status.rawValue).",
          details: ["status": certification.status.rawValue]))
    }
    return findings
  }

  private func windowFinding(_ item: ItemManifest, place: FindingPlace, label: String) -> Finding? {
    // Windows are this school's; an imported item was uploaded in the sending school's window.
    guard item.kind != .consultation, item.transfer == nil, let uploaded = item.uploadedAt,
      let windows = scan.school?.windows?.filter({ window in
        window.kind == item.kind && window.academicYear == item.academicYear
          && (item.kind != .courseOutcome || window.term == nil || window.term == item.term)
      }), !windows.isEmpty
    else { return nil }
    guard let at = Timestamps.parse(uploaded, timeZone: timeZone) else {
      return .badMetadata(place, zh: "作品\(label)的上傳時間格式錯誤，請告訴學校資訊組。",
                          en: "\(item.itemId): uploadedAt \"\(uploaded)\" is not an ISO 8601 time.", details: ["field": "uploadedAt"])
    }
    let inside = windows.contains { window in
      guard let opens = Timestamps.parse(window.opens, timeZone: timeZone),
        let closes = Timestamps.parse(window.closes, timeZone: timeZone)
      else { return true }
      return opens <= at && at <= closes
    }
    guard !inside else { return nil }
    let span = windows.map { "\($0.opens) – \($0.closes)" }.joined(separator: "; ")
    return Finding.make(
      .outsideWindow, place,
      zh: "作品\(label)的上傳時間（\(uploaded)）不在學校開放的上傳期間（\(span)）內，逾時無法補件。如有特殊情況請洽學校。",
      en: "\(item.itemId): uploadedAt \(uploaded) is outside the school's window(s) \(span).",
      details: ["uploadedAt": uploaded, "windows": span])
  }

  /// School caps: course outcomes per term and per course; the latest uploads beyond a cap
  /// are the ones refused.
  private func capFindings() -> [Finding] {
    guard let caps = scan.school?.caps else { return [] }
    var findings: [Finding] = []
    let outcomes = usableItems.filter { $0.1.kind == .courseOutcome && $0.1.transfer == nil }
    func refuse(_ groups: [String: [(ScannedItem, ItemManifest)]], cap: Int, what: String, whatEN: String) {
      for (_, group) in groups.sorted(by: { $0.key < $1.key }) where group.count > cap {
        let ordered = group.sorted { ($0.1.uploadedAt ?? "", $0.1.itemId) < ($1.1.uploadedAt ?? "", $1.1.itemId) }
        for (item, manifest) in ordered.dropFirst(cap) {
          findings.append(
            Finding.make(
              .capExceeded, place(item, manifest),
              zh: "「\(manifest.title ?? manifest.itemId)」超過學校規定的上限：\(what)最多 \(cap) 件（你上傳了 \(group.count) 件）。請刪除不需要的成果。",
              en: "\(manifest.itemId): over the school cap of \(cap) \(whatEN) (\(group.count) uploaded).",
              details: ["cap": String(cap), "count": String(group.count)]))
        }
      }
    }
    if let perTerm = caps.courseOutcomesPerTerm {
      let groups = Dictionary(grouping: outcomes) { "\($0.0.studentNumber)/\($0.1.academicYear)/\($0.1.term ?? 0)" }
      refuse(groups, cap: perTerm, what: "每學期課程學習成果", whatEN: "course outcomes per term")
    }
    if let perCourse = caps.courseOutcomesPerCourse {
      let groups = Dictionary(grouping: outcomes) {
        "\($0.0.studentNumber)/\($0.1.academicYear)/\($0.1.term ?? 0)/\($0.1.courseCode ?? "")"
      }
      refuse(groups, cap: perCourse, what: "每門課的成果", whatEN: "course outcomes per course")
    }
    return findings
  }

  // MARK: students

  func studentFindings() -> [Finding] {
    var findings: [Finding] = []
    for student in scan.roster.students.values.sorted(by: { $0.studentNumber < $1.studentNumber }) {
      let place = FindingPlace(studentNumber: student.studentNumber, file: "students.csv")
      if !IDNumberRules.isValid(student.idNumber, type: student.idType) {
        let masked = PrivateData.maskIDNumber(student.idNumber)
        findings.append(
          Finding.make(
            .invalidIdNumber, place,
            zh: "學校名冊中你的身分證明號碼（\(masked)）檢查碼不正確，資料無法送到中央資料庫。請向學校註冊組確認。",
            en: "students.csv: student \(student.studentNumber) has an ID number (\(masked)) that fails the \(student.idType) checksum.",
            details: ["idType": student.idType, "idNumber": masked]))
      }
      let rare = TextRules.rareCharacters(in: student.name)
      if !rare.isEmpty {
        let codes = rare.map(TextRules.codePoint).joined(separator: " ")
        findings.append(
          Finding.make(
            .rareCharacter, place,
            zh: "你的姓名含有罕用字或造字（\(rare.map { String($0) }.joined())）。請確認報告與收訖明細上的姓名顯示正確；若顯示有誤，請告訴學校註冊組。",
            en: "students.csv: the name of \(student.studentNumber) holds \(codes) (Private Use Area, CJK Extension B+ or "
              + "compatibility ideographs); check it displays correctly in every system.",
            details: ["codePoints": codes]))
      }
      // Selection limits per academic year.
      let selected = (usableByStudent[student.studentNumber] ?? []).filter { $0.1.selected == true }
      let byYear = Dictionary(grouping: selected) { $0.1.academicYear }
      for (year, items) in byYear.sorted(by: { $0.key < $1.key }) {
        let limits: [(ItemKind, Int, String)] = [
          (.courseOutcome, table.selectionLimits.courseOutcomesPerYear, "課程學習成果"),
          (.multiplePerformance, table.selectionLimits.multiplePerformancesPerYear, "多元表現"),
        ]
        for (kind, limit, word) in limits {
          let chosen = items.filter { $0.1.kind == kind }.map(\.1.itemId).sorted()
          guard chosen.count > limit else { continue }
          findings.append(
            Finding.make(
              .selectionOverLimit, FindingPlace(studentNumber: student.studentNumber),
              zh: "你在 \(year) 學年度勾選了 \(chosen.count) 件\(word)，上限是 \(limit) 件，請取消勾選 \(chosen.count - limit) 件。",
              en: "Student \(student.studentNumber): \(chosen.count) \(kind.rawValue) items selected for \(year); the limit is \(limit).",
              details: ["academicYear": String(year), "selected": chosen.joined(separator: " "), "limit": String(limit)]))
        }
      }
    }
    return findings
  }
}
