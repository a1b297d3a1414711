/// `drm-protected`: media whose samples are encrypted (an `encv`/`enca` sample entry with a
/// protection scheme): no reviewer's browser can play it.
enum DRMProtected: FileRule {
  static let code = Finding.Code.drmProtected

  static func check(_ file: RuleFile, of item: RuleItem, in context: RuleContext) -> [Finding] {
    file.problems.compactMap { problem in
      guard case .drmProtected(let scheme) = problem else { return nil }
      return Finding(
        Self.self, file.place,
        zh: "「\(file.name)」有版權保護（DRM），審查者無法播放。請上傳自己錄製或沒有加密保護的影片。",
        en: "\(file.place.file ?? file.name) is DRM-protected (\(scheme)); browsers cannot play it.",
        evidence: Evidence(observed: scheme, expected: "unencrypted samples", source: file.parserName),
        details: ["scheme": scheme])
    }
  }
}
