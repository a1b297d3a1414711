import Foundation

/// The confirmation page (收訖確認單) of one student: what the central database holds for them,
/// item by item in words, what differs or is missing and what to do, and a line to sign. Plain
/// text and a printable A4 HTML page with the same content; the ID number masked.
struct ConfirmationPage {
  struct Entry {
    var heading: String
    var lines: [String]
  }

  struct Section {
    var title: String
    var css: String
    var entries: [Entry]
  }

  var school: String
  var period: String
  var student: Student
  var opening: [String]
  var sections: [Section]

  static let title = "學習歷程檔案 收訖確認單"

  var identityLine: String {
    let klass = student.className.map { "班級 \($0)　" } ?? ""
    return "\(klass)學號 \(student.studentNumber)　姓名 \(student.name)　身分證號 \(PrivateData.maskIDNumber(student.idNumber))"
  }

  static let signature = [
    "確認結果：□ 內容正確　□ 有錯誤或遺漏（已告訴註冊組）",
    "學生簽名：＿＿＿＿＿＿＿＿＿＿　　日期：＿＿＿ 年 ＿＿ 月 ＿＿ 日",
  ]

  var text: String {
    var lines = [school, Self.title, period, identityLine, ""] + opening
    for section in sections {
      lines += ["", "■ " + section.title]
      for (index, entry) in section.entries.enumerated() {
        lines.append("\(index + 1). \(entry.heading)")
        lines += entry.lines.map { "   " + $0 }
      }
    }
    lines += [""] + Self.signature
    return lines.joined(separator: "\n") + "\n"
  }

  var html: String {
    var body = """
      <p class="school">\(HTML.escape(school))</p>
      <h1>\(HTML.escape(Self.title))</h1>
      <p class="who">\(HTML.escape(period))<br>\(HTML.escape(identityLine))</p>

      """
    body += opening.map { "<p>\(HTML.escape($0))</p>\n" }.joined()
    for section in sections {
      body += "<section class=\"\(section.css)\">\n<h2>\(HTML.escape(section.title))</h2>\n<ol>\n"
      for entry in section.entries {
        body += "<li><strong>\(HTML.escape(entry.heading))</strong>"
        body += entry.lines.map { "<br><span>\(HTML.escape($0))</span>" }.joined()
        body += "</li>\n"
      }
      body += "</ol>\n</section>\n"
    }
    body += "<div class=\"sign\">" + Self.signature.map { "<p>\(HTML.escape($0))</p>" }.joined() + "</div>\n"
    return HTML.documentStart(title: "\(Self.title) \(student.studentNumber)") + """
      <style>
      @page { size: A4; margin: 16mm 14mm; }
      body { font-family: "Noto Sans CJK TC", "Noto Sans TC", sans-serif; font-size: 11pt; line-height: 1.55;
        max-width: 46em; margin: 1em auto; padding: 0 1em; color: #222; }
      h1 { font-size: 17pt; margin: 0.2em 0; } h2 { font-size: 12.5pt; margin: 1em 0 0.3em; }
      .school { margin: 0; color: #555; } .who { margin: 0.3em 0 0.8em; }
      li { margin-bottom: 0.45em; break-inside: avoid; } li span { color: #444; }
      section.differences h2 { color: #b00020; } section.differences li strong { color: #b00020; }
      .sign { margin-top: 2em; break-inside: avoid; } .sign p { margin: 0.9em 0; }
      </style>
      </head>
      <body>
      \(body)</body>
      </html>

      """
  }
}
