import Foundation

/// The receipt for staff: counts, counts per class and every discrepancy, as a page of its own
/// and as a section of the pipeline's staff report.
extension ReceiptCheck {
  static let statusNames: [ReceiptStatus: String] = [
    .received: "一致 received", .different: "不同 different", .missing: "未收到 missing", .unexpected: "多出 unexpected",
    .unknownStudent: "非本校學生 unknown student", .studentAbsent: "整位學生未收到 student absent",
  ]

  /// The section (an `<h2>` and what follows); `pages` is the path from the page to receipts/.
  public func staffSection(pages: String = "receipts/") -> String {
    let r = reconciliation
    var html = "<h2>中央資料庫收訖明細 Receipt from the central database</h2>\n"
    html += "<p>\(HTML.escape(receipt))：\(HTML.escape(documents.map(\.fileName).joined(separator: "、")))</p>\n"
    let banner =
      isClean
      ? "<p class=\"ok\">每一筆都和學校送出的一致。Everything was received as submitted.</p>"
      : "<p class=\"bad\">收訖明細和學校送出的不一致：請核對下表，更正後重新提交，並請學生在確認期限內核對收訖確認單。</p>"
    html += banner + "\n<table class=\"counts\"><tr>"
    for status in ReceiptStatus.allCases { html += "<th>\(HTML.escape(Self.statusNames[status] ?? ""))</th>" }
    html += "</tr><tr>"
    let counts = [
      r.count(.received), r.count(.different), r.count(.missing), r.count(.unexpected), r.unknownPeople.count,
      r.absentPeople.count,
    ]
    html += counts.map { "<td>\($0)</td>" }.joined() + "</tr></table>\n"
    html += classTable()
    let rows = discrepancyRows()
    if !rows.isEmpty {
      html += "<h3>各筆差異 Discrepancies (\(rows.count))</h3>\n<table class=\"list\"><tr>"
      for header in ["學號", "班級", "姓名", "名冊", "工作表", "狀態", "辨識", "欄位", "學校送出", "中央收到"] {
        html += "<th>\(header)</th>"
      }
      html += "</tr>\n"
      for row in rows {
        let number = row[0]
        let link = number.isEmpty ? "" : "<a href=\"\(HTML.escape(pages + number)).html\">\(HTML.escape(number))</a>"
        let status = ReceiptStatus(rawValue: row[5]).flatMap { Self.statusNames[$0] } ?? row[5]
        html +=
          "<tr><td>\(link)</td>"
          + ([row[1], row[2], row[3], row[4], status] + row[6...]).map {
            "<td>\(HTML.escape($0))</td>"
          }.joined() + "</tr>\n"
      }
      html += "</table>\n"
    }
    var notes: [String] = []
    for (sheet, columns) in r.extraColumns.sorted(by: { $0.key < $1.key }) {
      notes.append("收訖明細的「\(sheet)」多了欄位（保留在確認單上，不比對）：\(columns.joined(separator: "、"))")
    }
    for (sheet, columns) in r.uncompared.sorted(by: { $0.key < $1.key }) {
      notes.append("收訖明細的「\(sheet)」沒有這些欄位（不比對）：\(columns.joined(separator: "、"))")
    }
    if !r.kindsNotInReceipt.isEmpty {
      notes.append("已提交、但這份收訖明細沒有的名冊（不比對）：\(r.kindsNotInReceipt.map(\.rawValue).joined(separator: "、"))")
    }
    if !ignored.isEmpty { notes.append("壓縮檔裡略過的項目：\(ignored.joined(separator: "、"))") }
    if !notes.isEmpty {
      html += "<ul class=\"notes\">" + notes.map { "<li>\(HTML.escape($0))</li>" }.joined() + "</ul>\n"
    }
    return html
  }

  /// Per class: students with a page, and their different, missing and unexpected records.
  func classTable() -> String {
    var perClass: [String: (students: Set<String>, different: Int, missing: Int, unexpected: Int)] = [:]
    for outcome in reconciliation.outcomes {
      guard let student = students[outcome.person] else { continue }
      let name = student.className ?? "（未分班）"
      var entry = perClass[name] ?? ([], 0, 0, 0)
      entry.students.insert(student.studentNumber)
      switch outcome.status {
      case .different: entry.different += 1
      case .missing: entry.missing += 1
      case .unexpected: entry.unexpected += 1
      default: break
      }
      perClass[name] = entry
    }
    guard !perClass.isEmpty else { return "" }
    var html =
      "<h3>各班 By class</h3>\n<table class=\"classes\"><tr><th>班級</th><th>學生</th><th>不同</th><th>未收到</th><th>多出</th></tr>\n"
    for (name, entry) in perClass.sorted(by: { $0.key < $1.key }) {
      html += "<tr><td>\(HTML.escape(name))</td><td>\(entry.students.count)</td><td>\(entry.different)</td>"
      html += "<td>\(entry.missing)</td><td>\(entry.unexpected)</td></tr>\n"
    }
    return html + "</table>\n"
  }

  func staffPage() -> String {
    HTML.documentStart(title: "收訖明細核對 Receipt check \(school.schoolCode) \(rosters.academicYear)") + """
      <style>
      body { font-family: "Noto Sans CJK TC", sans-serif; margin: 1.5em; color: #222; }
      table { border-collapse: collapse; margin: 0.5em 0 1em; } th, td { border: 1px solid #ccc; padding: 0.2em 0.5em; }
      th { background: #f3f3f3; white-space: nowrap; } table.list td:nth-child(-n+6) { white-space: nowrap; }
      .bad { color: #b00020; font-weight: bold; } .ok { color: #1b5e20; font-weight: bold; }
      </style>
      </head>
      <body>
      \(staffSection())</body>
      </html>

      """
  }
}
