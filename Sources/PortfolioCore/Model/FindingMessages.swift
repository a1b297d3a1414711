/// Where a finding points: the student, the item and the file (relative to the drop).
public struct FindingPlace: Sendable {
  public var studentNumber: String?
  public var itemId: String?
  /// Relative path for staff.
  public var file: String?
  /// The short name a student recognises (the file name they uploaded).
  public var shortName: String?

  public init(studentNumber: String? = nil, itemId: String? = nil, file: String? = nil, shortName: String? = nil) {
    self.studentNumber = studentNumber
    self.itemId = itemId
    self.file = file
    self.shortName = shortName
  }

  var label: String { shortName ?? file ?? itemId ?? "" }
}

/// The bilingual messages of the findings the scanner raises. Each says what is wrong and
/// what to do; the Chinese one is written for a 16-year-old on a phone.
extension Finding {
  static func make(
    _ code: Code, _ place: FindingPlace, zh: String, en: String, details: [String: String] = [:],
    severity: Severity? = nil
  ) -> Finding {
    Finding(
      code, severity: severity, studentNumber: place.studentNumber, itemId: place.itemId,
      file: place.file, zh: zh, en: en, details: details)
  }

  public static func notARegularFile(_ place: FindingPlace, kind: EntryKind) -> Finding {
    make(
      .notARegularFile, place,
      zh: "「\(place.label)」是\(kind.chinese)，不是一般檔案，系統不會開啟它。請重新上傳檔案本身。",
      en: "\(place.file ?? place.label) is a \(kind.rawValue), not a regular file; it was not opened. "
        + "Remove it from the drop directory or have the student re-upload the file itself.",
      details: ["entryKind": kind.rawValue])
  }

  public static func unreadable(_ place: FindingPlace, error: SystemError) -> Finding {
    make(
      .unreadable, place,
      zh: "「\(place.label)」無法讀取。請重新上傳；若仍然失敗，請告訴學校資訊組。",
      en: "\(place.file ?? place.label) could not be read (\(error.message)). "
        + "Check the platform storage's permissions and disk, then rerun.",
      details: ["errno": String(error.errno), "error": error.message])
  }

  public static func missingFile(_ place: FindingPlace) -> Finding {
    make(
      .missingFile, place,
      zh: "作品資料列出的檔案「\(place.label)」不在上傳資料夾中。請重新上傳這個檔案。",
      en: "item.json names \(place.file ?? place.label), but no such file is in the item folder. "
        + "The upload is incomplete: ask the student to upload the file again.")
  }

  public static func unlistedFile(_ place: FindingPlace) -> Finding {
    make(
      .unlistedFile, place,
      zh: "「\(place.label)」沒有登記在這筆作品的資料中，不會被送出。若它是要繳交的檔案，請在平台上重新上傳。",
      en: "\(place.file ?? place.label) is in the item folder but item.json does not list it; "
        + "it is never packaged. Re-upload it through the platform if it belongs to the item.")
  }

  public static func badMetadata(_ place: FindingPlace, zh: String, en: String, details: [String: String] = [:])
    -> Finding
  {
    make(.badMetadata, place, zh: zh, en: en, details: details)
  }

  public static func invalidFileName(_ place: FindingPlace) -> Finding {
    make(
      .invalidText, place,
      zh: "有一個檔名含有無法辨識的文字編碼（\(place.label)），系統不會讀取。請把檔名改成一般中英文後重新上傳。",
      en: "The name \(place.file ?? place.label) is not valid UTF-8; the entry was not opened. "
        + "Rename it (or have the student re-upload with a plain name).",
      details: ["reason": "file name is not valid UTF-8"])
  }

  public static func unknownStudent(_ place: FindingPlace) -> Finding {
    let number = place.studentNumber ?? ""
    return make(
      .unknownStudent, place,
      zh: "學號 \(number) 不在學校的學生名冊中，這個資料夾的作品都不會處理。請向學校註冊組確認學號。",
      en: "uploads/\(number) belongs to no student in students.csv; none of its items is processed. "
        + "Add the student to students.csv or remove the folder.")
  }
}
