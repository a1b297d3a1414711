import Foundation
import XLSXKit

/// One sheet of a roster: its exact name, header row and data rows.
public struct RosterSheet: Sendable, Equatable {
  public var name: String
  public var headers: [String]
  public var rows: [[XLSXCell]]
}

/// One workbook (名冊) before it is written: `{school}_{year}_{term}_{book}.xlsx`.
public struct RosterWorkbook: Sendable, Equatable {
  public var book: RosterBook
  public var schoolCode: String
  public var academicYear: Int
  /// 0 for the year-level books 25 and 26.
  public var term: Int
  /// The cover sheet first, then one sheet per record type.
  public var sheets: [RosterSheet]

  public var fileName: String { "\(schoolCode)_\(academicYear)_\(term)_\(book.rawValue).xlsx" }
}

/// What a roster row needs of one student: the central package as `package` would write it.
struct RosterStudent: Sendable {
  var student: Student
  var manifest: PackageManifest
  /// The package's file name, the first half of every file link.
  var packageName: String
  /// The MD5 of each package entry (`files/{item}/{n}.{ext}`), from the validation's one read.
  var md5ByEntry: [String: String]
}

/// Builds the rows of every book from the students' central packages of one year.
struct RosterRows {
  let students: [RosterStudent]
  let timeZone: TimeZone

  func key(_ student: Student) -> [XLSXCell] {
    [.text(student.idNumber), Self.minguo(student.birthDate)]
  }

  /// Book 2: one row per course record of `term`.
  func grades(term: Int) -> [[XLSXCell]] {
    students.flatMap { entry in
      entry.manifest.courses.filter { $0.term == term }.map { course in
        key(entry.student) + [
          .text(course.code), .text(course.name), .empty, Self.number(course.credits), Self.number(course.score),
          .number(course.passed ? 1 : 0), .empty, .empty, .number(1), .empty,
        ]
      }
    }
  }

  /// Book 24: one row per school-recorded cadre role of `term`.
  func cadres(term: Int) -> [[XLSXCell]] {
    students.flatMap { entry in
      entry.manifest.student.cadres.filter { $0.term == term }.map { cadre in
        key(entry.student) + [
          .text(cadre.unit), cadre.startDate.map(Self.minguo) ?? .empty, cadre.endDate.map(Self.minguo) ?? .empty,
          .text(cadre.title), Self.number(cadre.level),
        ]
      }
    }
  }

  /// 認證狀態 as the central database's screens and the schools' platforms show it: 通過 (book 26
  /// lists only outcomes certified `passed`; the spec's numeric codes 01–04 are the reasons of
  /// 未通過, not a status).
  static func certificationStatus(_ status: CertificationStatus) -> String {
    switch status {
    case .passed: "通過"
    case .returned: "未通過"
    case .pending: "未認證"
    }
  }

  /// Book 26: one row per selected, certified-passed course outcome.
  func outcomes() -> [[XLSXCell]] {
    students.flatMap { entry in
      entry.manifest.outcomes.map { packaged in
        let outcome = packaged.item
        let course = entry.manifest.courses.first {
          $0.code == outcome.courseCode && $0.academicYear == outcome.academicYear && $0.term == outcome.term
        }
        let certification = outcome.certification
        let certified = certification?.at.flatMap { Timestamps.parse($0, timeZone: timeZone) }
        return key(entry.student) + [
          .text(outcome.courseCode ?? ""), course.map { .text($0.name) } ?? .empty, .empty,
          course.map { Self.number($0.credits) } ?? .empty, .number(Double(outcome.academicYear)),
          outcome.term.map { .number(Double($0)) } ?? .empty, .text(outcome.summary ?? ""),
        ] + links(packaged.files, of: entry) + [
          .text(Self.certificationStatus(certification?.status ?? .pending)),
          certification?.teacherId.map(XLSXCell.text) ?? .empty,
          certified.map { Self.minguo(SchoolClock.day($0, in: timeZone)) } ?? .empty,
        ]
      }
    }
  }

  /// Book 25, one category's sheet: one row per selected multiple performance of it.
  func performances(category: String, columns: [(String, PerformanceColumn)]) -> [[XLSXCell]] {
    students.flatMap { entry in
      entry.manifest.performances.filter { $0.item.category == category }.map { packaged -> [XLSXCell] in
        let record = packaged.item
        let values: [XLSXCell] = columns.map { value(of: record, $0.1) }
        let link: XLSXCell = record.externalLink.map(XLSXCell.text) ?? .empty
        let summary: XLSXCell = .text(record.summary ?? "")
        var row: [XLSXCell] = key(entry.student) + values
        row.append(summary)
        row += links(packaged.files, of: entry)
        row.append(link)
        return row
      }
    }
  }

  func value(of record: ItemManifest, _ column: PerformanceColumn) -> XLSXCell {
    let details = record.details
    let start = record.startDate ?? ""
    switch column {
    case .title: return .text(record.title ?? "")
    case .organizer: return details?.organizer.map { .text($0.text) } ?? .empty
    case .start: return Self.minguo(start)
    case .end: return record.endDate.map(Self.minguo) ?? .empty
    case .lastDay: return Self.minguo(record.endDate ?? start)
    case .level: return details?.level.map { Self.number($0.text) } ?? .empty
    case .participation: return details?.participation.map { Self.number($0.text) } ?? .empty
    case .hours: return details?.hours.map { Self.number($0.text) } ?? .empty
    case .award: return details?.award.map { .text($0.text) } ?? .empty
    case .year: return .number(Double(record.academicYear))
    case .term: return record.term.map { .number(Double($0)) } ?? .empty
    case .none: return .empty
    }
  }

  /// The document link, its MD5, the media link and its MD5: `{package}#{entry}`; several files
  /// of one role are joined with `;` in manifest order, as their MD5s are.
  func links(_ files: [PackageManifest.File], of entry: RosterStudent) -> [XLSXCell] {
    [FileRole.document, .media].flatMap { role -> [XLSXCell] in
      let ofRole = files.filter { $0.role == role }
      guard !ofRole.isEmpty else { return [.empty, .empty] }
      return [
        .text(ofRole.map { entry.packageName + "#" + $0.path }.joined(separator: ";")),
        .text(ofRole.map { entry.md5ByEntry[$0.path] ?? "" }.joined(separator: ";")),
      ]
    }
  }

  /// A 7-digit Minguo date as text (`0960514`); a date before 1912 (or none) is written empty.
  static func minguo(_ date: String) -> XLSXCell {
    SchoolDates.minguo(date).map(XLSXCell.text) ?? .empty
  }

  /// A number read from the drop (credits, scores, codes) as a number cell; text that is not
  /// a number stays text (never changed into something it did not say).
  static func number(_ text: String) -> XLSXCell {
    guard let value = Double(text), value.isFinite, text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") })
    else { return text.isEmpty ? .empty : .text(text) }
    return .number(value)
  }
}

extension SchoolDates {
  /// `2007-05-14` (or `0960514`) as the 7-digit Minguo date `0960514`; `nil` before 1912.
  public static func minguo(_ text: String) -> String? {
    guard let iso = isoDate(text), let year = Int(iso.prefix(4)), year >= 1912, year - 1911 <= 999 else { return nil }
    let minguo = String(year - 1911)
    return String(repeating: "0", count: 3 - minguo.count) + minguo + iso.dropFirst(5).filter { $0 != "-" }
  }
}
