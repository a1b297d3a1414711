/// A notice written as plain text (to print or send) and as a self-contained HTML page (to
/// read on a phone), with the same sections in the same order.
extension NoticeWriter {
  static let title = "學習歷程檔案 上傳檢查通知"

  /// The sections of a notice: a title and its entries, or lines of text.
  struct Section {
    let title: String
    let css: String
    let entries: [Entry]
    var lines: [String] = []
    var closing: String? = nil
  }

  func greeting(_ content: Content) -> [String] {
    var lines = [
      "\(content.classText)學號 \(content.student.studentNumber) \(content.student.name) 同學你好：",
      "學校在\(content.checkedOn)檢查了你上傳的學習歷程檔案，結果如下。",
    ]
    if content.graduated {
      lines.append(
        "依學校的資料，你已經畢業（最後一個學年度是 \(content.student.lastAcademicYear) 學年度），"
          + "學習歷程檔案已無法再上傳或修改。以下內容僅供參考；有疑問請洽學校。")
    }
    if content.notChecked {
      lines.append(
        "學校的系統這次無法讀取你的部分上傳資料（這是學校端的問題，學校會處理），那些資料這次沒有檢查。你不需要重新上傳。")
    }
    return lines
  }

  func sections(_ content: Content) -> [Section] {
    [
      Section(
        title: "需要你處理（\(content.todo.count) 項）— 沒有處理的檔案或作品不會被送出", css: "todo", entries: content.todo),
      Section(
        title: "已無法修改（\(content.closed.count) 項，僅供參考）", css: "closed", entries: content.closed,
        closing: content.graduated ? nil : "這些作品的上傳期限已過，無法再補件或修改；如有特殊情況請洽學校。"),
      Section(title: "建議（不影響送出）", css: "advice", entries: content.advice),
      Section(
        title: "上傳期限", css: "deadline", entries: [], lines: content.deadlines,
        closing: content.deadlines.isEmpty ? nil : "逾時將無法補件，請儘早處理。"),
    ].filter { !$0.entries.isEmpty || !$0.lines.isEmpty }
  }

  static let footer = "有問題請洽學校資訊組或導師。"

  func text(_ content: Content) -> String {
    var text: [String] = []
    if let school = content.school { text.append(school) }
    text.append(Self.title)
    text.append("")
    text += greeting(content)
    for section in sections(content) {
      text.append("")
      text.append("■ " + section.title)
      for (index, entry) in section.entries.enumerated() {
        text.append("\(index + 1). \(entry.heading)")
        if let file = entry.file { text.append("   檔案：\(file)") }
        text.append("   \(entry.message)")
        if let due = entry.due { text.append("   \(due)") }
      }
      for line in section.lines { text.append("・\(line)") }
      if let closing = section.closing { text.append(closing) }
    }
    text.append("")
    text.append(Self.footer)
    return text.joined(separator: "\n") + "\n"
  }

  func html(_ content: Content) -> String {
    let body = sections(content).map { section -> String in
      let entries = section.entries.map { entry -> String in
        "<li><p class=\"heading\">\(HTML.escape(entry.heading))</p>"
          + (entry.file.map { "<p class=\"file\">檔案：\(HTML.escape($0))</p>" } ?? "")
          + "<p>\(HTML.escape(entry.message))</p>"
          + (entry.due.map { "<p class=\"due\">\(HTML.escape($0))</p>" } ?? "") + "</li>"
      }
      let list = entries.isEmpty ? "" : "<ol>\n\(entries.joined(separator: "\n"))\n</ol>"
      let items: [String] = section.lines.map { "<li>\(HTML.escape($0))</li>" }
      let lines: String = section.lines.isEmpty ? "" : "<ul>\(items.joined())</ul>"
      let closing: String = section.closing.map { "<p>\(HTML.escape($0))</p>" } ?? ""
      return
        "<section class=\"\(section.css)\"><h2>\(HTML.escape(section.title))</h2>\(list)\(lines)\(closing)</section>"
    }.joined(separator: "\n")
    let school: String = content.school.map { "<p class=\"school\">\(HTML.escape($0))</p>\n" } ?? ""
    let greeting: [String] = greeting(content).map { "<p>\(HTML.escape($0))</p>" }
    return """
      \(HTML.documentStart(title: "\(Self.title) — \(content.student.studentNumber)"))
      <style>
      body { font-family: "Noto Sans CJK TC", "Noto Sans TC", "Microsoft JhengHei", sans-serif; max-width: 42rem; margin: 1.5rem auto; padding: 0 1rem; line-height: 1.7; color: #222; }
      .school { margin: 0; color: #555; }
      h1 { font-size: 1.4rem; border-bottom: 3px solid #2a6; padding-bottom: .3rem; margin-top: .2rem; }
      h2 { font-size: 1.1rem; margin-top: 1.4rem; }
      .todo h2 { color: #b22; } .closed h2 { color: #666; } .advice h2 { color: #666; } .deadline h2 { color: #a60; }
      li { margin-bottom: .8rem; } li p { margin: .1rem 0; } .heading { font-weight: bold; } .file { color: #555; }
      .due { color: #a60; }
      footer { margin-top: 2rem; color: #555; font-size: .9rem; }
      @media print { body { margin: 0; max-width: none; } a { color: inherit; } }
      </style>
      </head>
      <body>
      \(school)<h1>\(Self.title)</h1>
      \(greeting.joined(separator: "\n"))
      \(body)
      <footer>\(Self.footer)</footer>
      </body>
      </html>

      """
  }
}
