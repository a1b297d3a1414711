import Foundation
import PortfolioCore
import TestSupport
import Testing

/// A drop with one student enrolled in 112 and one course with two teachers.
func ruleDrop(school: String = #"{"schoolCode":"313302","schoolType":"general"}"#, students: String? = nil) throws
  -> TestDrop
{
  let drop = try TestDrop(
    students: students ?? "studentNumber,idNumber,name,birthDate,enrollmentYear\n110001,A123456789,王小明,2007-05-14,112\n"
  )
  try drop.write("school.json", school)
  try drop.write(
    "courses.csv",
    "studentNumber,academicYear,term,courseCode,courseName,credits,score,passed,teacherIds\n"
      + "110001,112,1,112313302H1010101,探究與實作,2,88,true,T0042;T0043\n")
  return drop
}

func outcome(
  _ drop: TestDrop, id: String, status: String = "passed", teacher: String = "T0042", selected: Bool = true,
  course: String = "112313302H1010101", sha: String? = nil, uploadedAt: String = "2023-11-02T21:14:05+08:00",
  fixture: String = "application_pdf--report.pdf", summary: String = "摘要"
) throws {
  try drop.write("uploads/110001/\(id)/r.pdf", try fixtureBytes(fixture))
  let certified = sha.map { #","sha256":["\#($0)"]"# } ?? ""
  let json =
    #"{"itemId":"\#(id)","kind":"course-outcome","academicYear":112,"term":1,"courseCode":"\#(course)","title":"成果","summary":"\#(summary)","uploadedAt":"\#(uploadedAt)","files":[{"name":"r.pdf","role":"document"}],"certification":{"status":"\#(status)","teacherId":"\#(teacher)","at":"2023-11-10T09:00:00+08:00"\#(certified)},"selected":\#(selected)}"#
  try drop.write("uploads/110001/\(id)/item.json", json)
}

func performance(
  _ drop: TestDrop, id: String, start: String = "2023-09-01", year: Int = 112, selected: Bool = true,
  fixture: String = "image_png--diagram.png"
) throws {
  try drop.write("uploads/110001/\(id)/a.png", try fixtureBytes(fixture))
  try drop.write(
    "uploads/110001/\(id)/item.json",
    #"{"itemId":"\#(id)","kind":"multiple-performance","academicYear":\#(year),"category":"works","title":"作品","summary":"摘要","startDate":"\#(start)","uploadedAt":"2023-10-01T10:00:00+08:00","files":[{"name":"a.png","role":"document"}],"selected":\#(selected)}"#
  )
}

func codesAndItems(_ validation: Validation) -> [String] {
  validation.findings.map { "\($0.code.rawValue) \($0.itemId ?? "-")" }.sorted()
}

@Suite struct ItemRuleTests {
  @Test func aCleanCertifiedOutcomeHasNoFindings() throws {
    let drop = try ruleDrop()
    defer { drop.remove() }
    try outcome(drop, id: "co-1")
    let validation = try validate(drop)
    #expect(validation.findings.isEmpty, "\(validation.findings.map(\.messageEN))")
    #expect(validation.acceptedItems.count == 1)
  }

  @Test func certificationRules() throws {
    let drop = try ruleDrop()
    defer { drop.remove() }
    try outcome(drop, id: "pending", status: "pending")
    try outcome(drop, id: "not-teacher", teacher: "T9999")
    try outcome(drop, id: "co-teacher", teacher: "T0043")
    try outcome(drop, id: "changed", sha: String(repeating: "a", count: 64))
    try outcome(drop, id: "unselected-pending", status: "pending", selected: false)
    try outcome(drop, id: "wrong-course", course: "112313302H9999999")
    let validation = try validate(drop)
    #expect(
      codesAndItems(validation).filter { !$0.hasPrefix("duplicate-file") } == [
        "certifier-not-teacher not-teacher", "modified-after-certification changed", "not-certified pending",
        "unknown-course wrong-course",
      ])
  }

  @Test func theCertifiedHashMatchingIsNotAFinding() throws {
    let drop = try ruleDrop()
    defer { drop.remove() }
    try outcome(drop, id: "co-1", sha: String(repeating: "0", count: 64))
    #expect(findingCodes(try validate(drop)) == ["modified-after-certification"])
    let actual = try #require(try validate(drop).files.first?.sha256)
    try outcome(drop, id: "co-1", sha: actual.uppercased())  // case does not matter
    #expect(try validate(drop).findings.isEmpty)
  }

  @Test func selectionLimitsPerAcademicYear() throws {
    let drop = try ruleDrop()
    defer { drop.remove() }
    for index in 1...7 { try outcome(drop, id: "co-\(index)", summary: "第 \(index) 件") }
    for index in 1...11 { try performance(drop, id: "mp-\(index)") }
    let validation = try validate(drop)
    let limits = validation.findings.filter { $0.code == .selectionOverLimit }
    #expect(limits.count == 2)
    #expect(limits.map { $0.details["limit"] ?? "" }.sorted() == ["10", "6"])
    #expect(limits.allSatisfy { $0.messageZH.contains("請取消勾選 1 件") })
  }

  @Test func schoolCapsRefuseTheLatestUploads() throws {
    let drop = try ruleDrop(
      school:
        #"{"schoolCode":"313302","schoolType":"general","caps":{"courseOutcomesPerTerm":3,"courseOutcomesPerCourse":2}}"#
    )
    defer { drop.remove() }
    for index in 1...4 {
      try outcome(drop, id: "co-\(index)", selected: false, uploadedAt: "2023-11-0\(index)T10:00:00+08:00")
    }
    let caps = try validate(drop).findings.filter { $0.code == .capExceeded }.map {
      "\($0.itemId!) \($0.details["cap"]!)"
    }.sorted()
    #expect(caps == ["co-3 2", "co-4 2", "co-4 3"])
  }

  @Test func uploadWindows() throws {
    let school =
      #"{"schoolCode":"313302","schoolType":"general","timeZone":"Asia/Taipei","windows":[{"academicYear":112,"term":1,"kind":"course-outcome","opens":"2023-09-01T00:00:00+08:00","closes":"2024-01-31T23:59:59+08:00"}]}"#
    let drop = try ruleDrop(school: school)
    defer { drop.remove() }
    try outcome(drop, id: "in-time", uploadedAt: "2024-01-31T23:59:59+08:00")
    try outcome(drop, id: "late", uploadedAt: "2024-01-31T16:00:00Z")  // 2024-02-01 00:00 in Taipei
    try outcome(drop, id: "early", uploadedAt: "2023-08-31T23:59:59+08:00")
    let windows = try validate(drop).findings.filter { $0.code == .outsideWindow }.compactMap(\.itemId).sorted()
    #expect(windows == ["early", "late"])
  }

  @Test func enrollmentRules() throws {
    let drop = try ruleDrop()
    defer { drop.remove() }
    try performance(drop, id: "junior-high", start: "2023-06-30", selected: false)
    try performance(drop, id: "first-day", start: "2023-07-01", selected: false)
    try performance(drop, id: "too-late", year: 115, selected: false)
    let codes = codesAndItems(try validate(drop)).filter { !$0.hasPrefix("duplicate-file") }
    #expect(codes == ["before-enrollment junior-high", "outside-enrollment too-late"])
  }

  @Test(arguments: [
    (String(repeating: "字", count: 100), [String]()),
    (String(repeating: "字", count: 101), ["summary-too-long"]),
    (String(repeating: "👨‍👩‍👧", count: 100), ["summary-too-long"]),  // 100 graphemes but 500 scalars
    ("e" + String(repeating: "\u{301}", count: 420), ["summary-too-long"]),
    ("有\u{7}鈴聲", ["invalid-text"]),
    ("第一行\n第二行", []),
  ])
  func summaryRules(summary: String, expected: [String]) throws {
    let drop = try ruleDrop()
    defer { drop.remove() }
    let escaped = summary.unicodeScalars.map { scalar -> String in
      scalar.value < 0x20 ? String(format: "\\u%04x", scalar.value) : String(scalar)
    }.joined()
    try outcome(drop, id: "co-1", summary: escaped)
    #expect(findingCodes(try validate(drop)) == expected)
  }

  @Test func studentRules() throws {
    let drop = try ruleDrop(
      students: "studentNumber,idNumber,name,birthDate,enrollmentYear,idType\n"
        + "110001,A123456789,林\u{2000B}華,2007-05-14,112,national-id\n"
        + "110002,A123456788,王小明,2007-05-14,112,national-id\n"
        + "110003,FC12345678,Anna,2007-05-14,112,resident-certificate\n"
        + "110004,A800000014,黃\u{F9A8}安,2007-05-14,112,resident-certificate\n"
        + "110005,\u{E000}X,陳\u{E000},2007-05-14,112,other\n")
    defer { drop.remove() }
    let validation = try validate(drop)
    let codes = validation.findings.map { "\($0.code.rawValue) \($0.studentNumber ?? "")" }.sorted()
    #expect(
      codes == [
        "invalid-id-number 110002", "invalid-id-number 110003", "rare-character 110001", "rare-character 110004",
        "rare-character 110005",
      ])
    let id = try #require(validation.findings.first { $0.code == .invalidIdNumber })
    #expect(id.details["idNumber"] == "A12****788")
    #expect(!id.messageZH.contains("A123456788") && !id.messageEN.contains("A123456788"))
  }

  @Test func duplicateContentOfOneStudent() throws {
    let drop = try ruleDrop()
    defer { drop.remove() }
    try performance(drop, id: "mp-1", selected: false)
    try performance(drop, id: "mp-2", selected: false)
    let findings = try validate(drop).findings
    #expect(findings.map(\.code) == [.duplicateFile])
    #expect(findings.first?.severity == .warning)
    #expect(findings.first?.details["sameAs"] == "uploads/110001/mp-1/a.png")
  }
}

@Suite struct IDNumberRuleTests {
  @Test(arguments: ["A123456789", "F231245608", "B120000008", "a123456789"])
  func validNationalIDs(id: String) { #expect(IDNumberRules.isValid(id, type: .nationalID)) }

  @Test(arguments: ["A123456788", "A323456789", "1234567890", "A12345678", "AB23456789", ""])
  func invalidNationalIDs(id: String) { #expect(!IDNumberRules.isValid(id, type: .nationalID)) }

  @Test func residentCertificatesOldAndNew() {
    #expect(IDNumberRules.isValid("A800000014", type: .residentCertificate))
    #expect(!IDNumberRules.isValid("A800000015", type: .residentCertificate))
    #expect(IDNumberRules.isValid("AA00000009", type: .residentCertificate))
    #expect(!IDNumberRules.isValid("FC12345678", type: .residentCertificate))
    #expect(IDNumberRules.isValid("anything", type: .other))
  }
}

@Suite struct PeriodAndOneLineTextTests {
  /// A malformed academic year or term is named as such, never as "outside enrollment",
  /// "unknown course" or "outside the upload window".
  @Test(arguments: [(2023, "2023 is a Gregorian year"), (-1, "-1 is not a Minguo academic year"), (0, "0 is not")])
  func aMalformedYearIsNamedAndNothingElse(year: Int, words: String) throws {
    let drop = try ruleDrop()
    defer { drop.remove() }
    try performance(drop, id: "mp-1", year: year)
    let findings = try validate(drop).findings
    #expect(findings.map(\.code.rawValue) == ["bad-metadata"], "\(findings.map(\.messageEN))")
    #expect(findings.first?.details["field"] == "academicYear")
    #expect(findings.first?.messageEN.contains(words) == true, "\(findings.map(\.messageEN))")
  }

  @Test func termThreeIsNamedAndNotAnUnknownCourse() throws {
    let drop = try ruleDrop()
    defer { drop.remove() }
    try outcome(drop, id: "co-1")
    let path = drop.root + "/uploads/110001/co-1/item.json"
    let json = try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(
      of: #""term":1"#, with: #""term":3"#)
    try drop.write("uploads/110001/co-1/item.json", json)
    let findings = try validate(drop).findings
    #expect(findings.map(\.code.rawValue) == ["bad-metadata"], "\(findings.map(\.messageEN))")
    #expect(findings.first?.details["field"] == "term")
  }

  @Test func aLineBreakInATitleIsInvalidTextButASummaryMayHaveLines() throws {
    let drop = try ruleDrop()
    defer { drop.remove() }
    try outcome(drop, id: "co-1", summary: #"第一行\n第二行\t完"#)
    #expect(try validate(drop).findings.isEmpty)
    let path = drop.root + "/uploads/110001/co-1/item.json"
    let json = try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(
      of: #""title":"成果""#, with: #""title":"成\n果""#)
    try drop.write("uploads/110001/co-1/item.json", json)
    let findings = try validate(drop).findings
    let finding = try #require(findings.first { $0.code == .invalidText }, "\(findings.map(\.messageEN))")
    #expect(finding.details["field"] == "title" && finding.details["codePoint"] == "U+000A")
    #expect(finding.messageZH.contains("換行") && !finding.messageZH.contains("\n"), "\(finding.messageZH)")
  }

  @Test(arguments: ["王\n小明", "王\u{0}小明", "王\t小明"])
  func aNameWithALineBreakOrNULIsRefused(name: String) throws {
    let quoted = "\"" + name + "\""
    let drop = try ruleDrop(
      students: "studentNumber,idNumber,name,birthDate,enrollmentYear\n110001,A123456789,\(quoted),2007-05-14,112\n")
    defer { drop.remove() }
    try outcome(drop, id: "co-1")
    let findings = try validate(drop).findings
    #expect(
      findings.contains { $0.code == .badMetadata && $0.messageEN.contains("the name holds U+00") },
      "\(findings.map(\.messageEN))")
  }
}
