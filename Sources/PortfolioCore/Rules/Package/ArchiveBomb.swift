/// `archive-bomb`: declared or actual sizes over the caps, a compression ratio no real file has,
/// overlapping entries, too many entries.
enum ArchiveBomb: FindingRule {
  static let code = Finding.Code.archiveBomb

  static func tooManyEntries(_ place: PackagePlace, count: Int, cap: Int) -> Finding {
    Finding(
      Self.self, place, zh: "項目數量異常（\(count) 個），拒絕處理。", en: "\(count) entries, over the cap of \(cap)",
      evidence: Evidence(observed: "\(count) entries", expected: "at most \(cap)", source: "central directory"),
      details: ["entries": String(count)])
  }

  static func overlapping(_ place: PackagePlace, _ description: String) -> Finding {
    Finding(
      Self.self, place, zh: "zip 內的項目互相重疊（壓縮炸彈的手法），拒絕處理。", en: description,
      evidence: Evidence(observed: description, expected: "entries that do not overlap", source: "central directory"))
  }

  static func totalTooLarge(_ place: PackagePlace, total: UInt64, cap: UInt64) -> Finding {
    Finding(
      Self.self, place, zh: "解壓縮後的總大小異常，拒絕處理。", en: "entries declare \(total) bytes in all; the cap is \(cap)",
      evidence: Evidence(observed: "\(total) bytes", expected: "at most \(cap) bytes", source: "central directory"))
  }

  static func declaredTooLarge(_ place: PackagePlace, declared: UInt64, cap: UInt64) -> Finding {
    Finding(
      Self.self, place, zh: "項目宣告的大小超過上限。", en: "declares \(declared) bytes; the cap is \(cap)",
      evidence: Evidence(
        observed: "\(declared) bytes declared", expected: "at most \(cap) bytes", source: "central directory"),
      details: ["declared": String(declared), "cap": String(cap)])
  }

  static func ratio(_ place: PackagePlace, ratio: UInt64, cap: UInt64) -> Finding {
    Finding(
      Self.self, place, zh: "項目的壓縮比異常，拒絕處理。", en: "compression ratio \(ratio):1 is over \(cap):1",
      evidence: Evidence(observed: "\(ratio):1", expected: "at most \(cap):1", source: "central directory"))
  }

  static func overLimitWhileReading(_ place: PackagePlace, _ error: String) -> Finding {
    Finding(
      Self.self, place, zh: "檔案無法讀取或已損毀。", en: error,
      evidence: Evidence(observed: error, expected: "no more bytes than declared", source: "zip reader"))
  }
}
