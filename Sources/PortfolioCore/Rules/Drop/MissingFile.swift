/// `missing-file`: item.json names a file that is not in the item folder.
enum MissingFile: FindingRule {
  static let code = Finding.Code.missingFile

  static func finding(_ place: FindingPlace) -> Finding {
    Finding(
      Self.self, place,
      zh: "作品資料列出的檔案「\(place.label)」不在上傳資料夾中。請重新上傳這個檔案。",
      en: "item.json names \(place.file ?? place.label), but no such file is in the item folder. "
        + "The upload is incomplete: ask the student to upload the file again.",
      evidence: Evidence(observed: "no such file", expected: place.label, source: "item.json files"))
  }
}
