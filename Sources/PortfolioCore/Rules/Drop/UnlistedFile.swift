/// `unlisted-file` (warning): a file in an item folder that item.json does not name; it is
/// never packaged.
enum UnlistedFile: FindingRule {
  static let code = Finding.Code.unlistedFile

  static func finding(_ place: FindingPlace) -> Finding {
    Finding(
      Self.self, place,
      zh: "「\(place.label)」沒有登記在這筆作品的資料中，不會被送出。若它是要繳交的檔案，請在平台上重新上傳。",
      en: "\(place.file ?? place.label) is in the item folder but item.json does not list it; "
        + "it is never packaged. Re-upload it through the platform if it belongs to the item.",
      evidence: Evidence(observed: place.label, expected: "only the files item.json lists", source: "directory listing")
    )
  }
}
