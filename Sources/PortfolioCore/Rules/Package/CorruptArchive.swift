/// `corrupt-archive`: truncated, a CRC error, headers that disagree, an encrypted entry or an
/// unsupported compression method.
enum CorruptArchive: FindingRule {
  static let code = Finding.Code.corruptArchive

  private static func make(_ place: PackagePlace, zh: String, en: String) -> Finding {
    Finding(
      Self.self, place, zh: zh, en: en,
      evidence: Evidence(observed: en, expected: "a complete zip", source: "zip reader"))
  }

  static func notAZip(_ place: PackagePlace, _ error: String) -> Finding {
    make(place, zh: "不是完整的 zip 檔（可能下載不完整或已損毀）。", en: "cannot be opened as a zip archive: \(error)")
  }

  static func centralDirectory(_ place: PackagePlace, _ error: String) -> Finding {
    make(place, zh: "zip 目錄損毀。", en: "its central directory cannot be read: \(error)")
  }

  static func inconsistent(_ place: PackagePlace, _ description: String) -> Finding {
    make(place, zh: "不是完整或一致的 zip 檔（可能下載不完整或被竄改）。", en: description)
  }

  static func manifestNotFirst(_ place: PackagePlace) -> Finding {
    make(place, zh: "manifest.xml 不是第一個項目。", en: "manifest.xml must be the first entry")
  }

  static func encryptedEntry(_ place: PackagePlace) -> Finding {
    make(place, zh: "項目被加密，無法檢查。", en: "the entry is encrypted")
  }

  static func unsupportedCompression(_ place: PackagePlace, method: Int) -> Finding {
    make(place, zh: "使用不支援的壓縮方式。", en: "unsupported compression method \(method)")
  }

  static func unreadableEntry(_ place: PackagePlace, _ error: String, checksum: Bool) -> Finding {
    make(place, zh: checksum ? "檔案內容與 zip 的 CRC 不符（已損毀）。" : "檔案無法讀取。", en: error)
  }

  static func unreadableManifest(_ place: PackagePlace, _ error: String) -> Finding {
    make(place, zh: "manifest.xml 無法讀取或已損毀。", en: "cannot read manifest.xml: \(error)")
  }

  static func toolsUnavailable(_ place: PackagePlace) -> Finding {
    make(place, zh: "無法啟動檢查。", en: "libmagic or OpenSSL could not be initialised")
  }
}
