import XLSXKit

/// The central database's rosters (名冊) as `docs/roster.md` defines them: which books, their
/// sheet and header names (exact: the central database refuses a workbook whose names differ)
/// and where each column's value comes from.
public enum RosterBook: Int, Sendable, CaseIterable, Comparable {
  case grades = 2
  case cadres = 24
  case performances = 25
  case outcomes = 26

  /// The roster's name (名冊別), also the cover sheet's name before `封面`.
  public var title: String {
    switch self {
    case .grades: "學生成績名冊"
    case .cadres: "校內幹部經歷名冊"
    case .performances: "學生自填多元表現名冊"
    case .outcomes: "學生課程學習成果名冊"
    }
  }

  /// Books 25 and 26 are year-level selections (term 0); books 2 and 24 are written per term.
  public var isPerTerm: Bool { self == .grades || self == .cadres }

  public static func < (lhs: RosterBook, rhs: RosterBook) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Where a column of a multiple-performance sheet takes its value.
enum PerformanceColumn: Sendable {
  case title, organizer, start, end, level, participation, hours, award, year, term
  /// The last day of the record (its end date, else its start date): 結果公布日期.
  case lastDay
  /// A column the drop contract has no data for: written empty, never invented.
  case none
}

enum RosterLayout {
  static let cover = ["學校代碼", "學年度", "學期", "名冊別"]
  static let key = ["身分證號", "出生日期"]

  static let gradesSheet = "學期成績"
  static let grades = ["課程代碼", "科目名稱", "開課年級", "修課學分", "學期學業成績", "成績及格", "補考成績", "補考及格", "是否採計學分", "質性文字描述"]

  static let cadresSheet = "幹部經歷紀錄"
  static let cadres = ["單位名稱", "開始日期", "結束日期", "擔任職務", "幹部等級"]

  static let outcomesSheet = "學期課程學習成果"
  static let outcomes = [
    "課程代碼", "科目名稱", "開課年級", "修課學分", "實際修課學年度", "實際修課學期", "成果簡述", "課程學習成果文件檔案連結", "文件檔案MD5",
    "課程學習成果影音檔案連結", "影音檔案MD5", "認證狀態", "認證教師", "認證時間",
  ]

  /// The common tail of every multiple-performance sheet.
  static let performanceTail = ["內容簡述", "證明文件連結", "證明文件MD5", "影音檔案連結", "影音檔案MD5", "外部影音連結"]

  /// The ten sheets of book 25, in the order of the field specification's category list.
  static let performances: [(category: String, sheet: String, columns: [(String, PerformanceColumn)])] = [
    (
      "cadre", "幹部經歷暨事蹟紀錄",
      [("單位名稱", .organizer), ("開始日期", .start), ("結束日期", .end), ("擔任職務", .title), ("幹部等級", .level)]
    ),
    (
      "competition", "競賽參與紀錄",
      [
        ("競賽名稱", .title), ("項目", .none), ("競賽等級", .level), ("獎項", .award), ("結果公布日期", .lastDay),
        ("團體參與", .participation),
      ]
    ),
    (
      "certificate", "檢定證照紀錄",
      [("證照代碼", .none), ("分數", .none), ("分項結果", .none), ("取得證照日期", .start), ("證照字號", .none), ("檢定組別", .none)]
    ),
    (
      "service-learning", "服務學習紀錄",
      [("服務名稱", .title), ("服務單位", .organizer), ("開始日期", .start), ("結束日期", .end), ("時數", .hours)]
    ),
    (
      "flexible-learning", "彈性學習時間紀錄",
      [
        ("彈性學習時間類別", .none), ("內容名稱", .title), ("開設單位", .organizer), ("開設學年度", .year), ("開設學期", .term),
        ("每週節數", .none), ("開設週數", .none),
      ]
    ),
    (
      "group-activity", "團體活動時間紀錄",
      [
        ("團體活動時間類別", .none), ("辦理單位", .organizer), ("團體活動內容名稱", .title), ("活動學年度", .year), ("活動學期", .term),
        ("節數", .none),
      ]
    ),
    (
      "workplace-learning", "職場學習紀錄",
      [
        ("職場學習類別", .none), ("職場學習單位", .organizer), ("職場學習職稱", .title), ("開始日期", .start), ("結束日期", .end),
        ("時數", .hours),
      ]
    ),
    ("works", "作品成果紀錄", [("名稱", .title), ("日期", .start)]),
    (
      "advanced-course", "大學及技專校院先修課程紀錄",
      [
        ("計畫專案", .none), ("開設單位", .organizer), ("課程名稱", .title), ("開始日期", .start), ("結束日期", .end),
        ("學分數", .none), ("總時數", .hours),
      ]
    ),
    (
      "other", "其他多元表現紀錄",
      [("名稱", .title), ("主辦單位", .organizer), ("開始日期", .start), ("結束日期", .end), ("時數", .hours)]
    ),
  ]

  /// Each column's width in characters, wide enough for its header and its longest value
  /// (CJK characters take two columns), capped at 60 so a long summary wraps instead.
  static func widths(headers: [String], rows: [[XLSXCell]]) -> [Double] {
    headers.enumerated().map { column, header in
      let longest =
        rows.map { row -> Int in
          guard column < row.count, case .text(let value) = row[column] else { return 0 }
          return displayWidth(value)
        }.max() ?? 0
      return Double(min(60, max(displayWidth(header), longest, 8) + 2))
    }
  }

  static func displayWidth(_ text: String) -> Int {
    text.unicodeScalars.reduce(0) { $0 + ($1.value < 0x1100 ? 1 : 2) }
  }
}
