import Foundation

/// The receipt (收訖明細) beside every central package: what the student is asked to confirm.
extension Packager {
  /// Each category's sheet name (one list: the rosters').
  static let categoryNames = Dictionary(
    RosterLayout.performances.map { ($0.category, $0.sheet) }, uniquingKeysWith: { first, _ in first })

  func writeReceipt(_ manifest: PackageManifest, student: Student, zipName: String, folder: String) throws {
    let base = folder + "/" + String(zipName.dropLast(4)) + "_receipt"
    var lines: [String] = []
    let school = validation.scan.school
    lines.append("學習歷程檔案 收訖明細")
    lines.append("")
    lines.append("學校：\(manifest.schoolCode) \(school?.schoolName ?? "")")
    lines.append("學年度：\(manifest.academicYear.map(String.init) ?? "")")
    lines.append("學號：\(student.studentNumber)　姓名：\(student.name)　身分證明號碼：\(PrivateData.maskIDNumber(student.idNumber))")
    lines.append("產生時間：\(manifest.generatedAt)")
    lines.append("")
    lines.append("以下是學校將提交到中央資料庫的資料。請逐項核對標題與檔案；如有錯誤或遺漏，請在期限內向學校反映。")
    lines.append("檔案後面的 SHA-256 是檔案內容的指紋前 12 碼，內容只要改動一個位元組，指紋就會不同。")
    var rows: [[String]] = []
    func section(
      _ heading: String,
      _ items: [(category: String, term: Int?, id: String, title: String, files: [PackageManifest.File])]
    ) {
      lines.append("")
      lines.append("\(heading)（\(items.count) 件）")
      if items.isEmpty { lines.append("　（無）") }
      for (index, item) in items.enumerated() {
        let when = "\(manifest.academicYear ?? 0) 學年度" + (item.term.map { "第 \($0) 學期" } ?? "")
        lines.append("\(index + 1). [\(item.category)] \(item.title)（\(when)）")
        for file in item.files {
          lines.append(
            "　　\(file.originalName)　\(SizeText.human(file.bytes))（\(file.bytes) 位元組）　SHA-256 \(file.sha256.prefix(12))")
          rows.append([
            item.category, String(manifest.academicYear ?? 0), item.term.map(String.init) ?? "", item.id, item.title,
            file.originalName, String(file.bytes), String(file.sha256.prefix(12)),
          ])
        }
        if item.files.isEmpty {
          rows.append([
            item.category, String(manifest.academicYear ?? 0), item.term.map(String.init) ?? "", item.id, item.title,
            "", "", "",
          ])
        }
      }
    }
    let courseNames = Dictionary(manifest.courses.map { ($0.code, $0.name) }, uniquingKeysWith: { first, _ in first })
    section(
      "課程學習成果",
      manifest.outcomes.map { packaged in
        let code = packaged.item.courseCode ?? ""
        return (
          courseNames[code] ?? code, packaged.item.term, packaged.item.itemId, packaged.item.title ?? "",
          packaged.files
        )
      })
    section(
      "多元表現",
      manifest.performances.map { packaged in
        let category = packaged.item.category ?? ""
        return (
          Packager.categoryNames[category] ?? category, packaged.item.term, packaged.item.itemId,
          packaged.item.title ?? "", packaged.files
        )
      })
    lines.append("")
    lines.append("封包：\(zipName)")
    try AtomicFile.write(Array((lines.joined(separator: "\n") + "\n").utf8), to: base + ".txt", privateFile: true)

    var csv = CSVRows(newline: .crlf)
    csv.append(["category", "academicYear", "term", "itemId", "title", "file", "bytes", "sha256_12"])
    for row in rows { csv.append(row.map(ValidationReport.spreadsheetSafe)) }
    try AtomicFile.write([0xEF, 0xBB, 0xBF] + csv.bytes + [0x0D, 0x0A], to: base + ".csv", privateFile: true)
  }
}
