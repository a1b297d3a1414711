/// `unreadable`: permission denied or an I/O error; the system's error is the evidence.
enum Unreadable: FindingRule {
  static let code = Finding.Code.unreadable

  static func finding(_ place: FindingPlace, error: SystemError) -> Finding {
    Finding(
      Self.self, place,
      zh: "「\(place.label)」無法讀取。請重新上傳；若仍然失敗，請告訴學校資訊組。",
      en: "\(place.file ?? place.label) could not be read (\(error.message)). "
        + "Check the platform storage's permissions and disk, then rerun.",
      evidence: Evidence(observed: error.message, expected: "a readable file", source: "open/read"),
      details: ["errno": String(error.errno), "error": error.message])
  }
}
