/// `inspection-failed`: the isolated worker checking the file needed more memory or time than
/// the per-file limits allow, or ended abnormally (a crash inside a parser), or the parser's
/// walk budget ran out (`tooComplex`). The file cannot be vouched for, so it is refused; the run
/// goes on with a fresh worker. What the limit was and what was seen is the evidence.
enum InspectionFailed: FileRule {
  static let code = Finding.Code.inspectionFailed
  static let advice = "這通常表示檔案內部的結構異常（例如損壞或被刻意做得很複雜）。請用原本的程式重新匯出或「另存新檔」後再上傳；若仍然失敗，請告訴學校資訊組。"

  /// A parser that stopped at its budget.
  static func check(_ file: RuleFile, of item: RuleItem, in context: RuleContext) -> [Finding] {
    file.problems.compactMap { problem in
      guard case .tooComplex(let reason) = problem else { return nil }
      return Finding(
        Self.self, file.place,
        zh: "「\(file.name)」的內部結構太複雜，系統無法在限制內檢查完，所以不能收下這個檔案。" + advice,
        en: "\(file.place.file ?? file.name): the \(file.parserName) stopped at its budget (\(reason)); the file "
          + "cannot be vouched for and is refused.",
        evidence: Evidence(
          observed: reason, expected: "a structure the parser can check whole", source: file.parserName),
        details: ["reason": "complexity"])
    }
  }

  static func finding(_ place: FindingPlace, incident: WorkerIncident, bytes: Int64) -> Finding {
    let name = place.label
    let zh: String
    let en: String
    let expected: String
    let target = place.file ?? name
    switch incident.reason {
    case .memory:
      zh = "系統檢查「\(name)」時需要超過 \(SizeText.mb(incident.limit)) 的記憶體，為了安全已停止檢查，所以不能收下這個檔案。" + advice
      en =
        "\(target): inspecting it needed more than the per-file memory limit of \(incident.limit) bytes "
        + "(\(ByteCount.text(incident.limit)); observed \(incident.observed)); the worker was stopped and the file "
        + "refused. The upload is left in place: if it is an ordinary file, raise workers.memoryBytes in the policy "
        + "table (or PORTFOLIO_WORKER_MEMORY_MIB) and rerun; otherwise keep it for the vendor."
      expected = "at most \(incident.limit) bytes of memory"
    case .time:
      zh = "系統在 \(incident.limit) 秒內無法檢查完「\(name)」，為了安全已停止檢查，所以不能收下這個檔案。" + advice
      en =
        "\(target): inspecting it took longer than the per-file limit of \(incident.limit) s "
        + "(\(incident.observed)); the worker was stopped and the file refused. The upload is left in place: if it "
        + "is an ordinary file on a slow or busy server, raise workers.secondsPerFile (or PORTFOLIO_WORKER_SECONDS) "
        + "and rerun; otherwise keep it for the vendor."
      expected = "at most \(incident.limit) s"
    case .crash, .garbage:
      zh = "系統檢查「\(name)」時，檢查程式異常結束，無法確認這個檔案的內容，所以不能收下這個檔案。" + advice
      en =
        "\(target): the worker inspecting it ended abnormally (\(incident.observed)); the file is refused and "
        + "every other file was judged by a fresh worker. The upload is left in place: send it to the vendor, "
        + "it shows a defect in a parser."
      expected = "a complete inspection"
    }
    return Finding(
      Self.self, place, zh: zh, en: en,
      evidence: Evidence(observed: incident.observed, expected: expected, source: "inspection worker"),
      details: ["reason": incident.reason.rawValue, "limit": String(incident.limit), "bytes": String(bytes)])
  }

  /// A package whose check in the isolated worker hit a limit or crashed: nothing in it can be
  /// vouched for.
  static func package(_ place: PackagePlace, incident: WorkerIncident) -> Finding {
    let what: (zh: String, en: String) =
      switch incident.reason {
      case .memory: ("檢查時需要的記憶體超過上限", "needed more than the memory limit of \(incident.limit) bytes")
      case .time: ("無法在 \(incident.limit) 秒內檢查完", "took longer than the limit of \(incident.limit) s")
      case .crash, .garbage: ("檢查程式異常結束", "made the checking worker end abnormally")
      }
    return Finding(
      Self.self, place,
      zh: "\(what.zh)，無法確認封包內容，所以不能收下。請原學校重新匯出封包後再傳送。",
      en: "checking it \(what.en) (\(incident.observed)); the package is refused. Ask the sending school to "
        + "export it again; keep this file for the vendor.",
      evidence: Evidence(observed: incident.observed, expected: "a complete check", source: "inspection worker"),
      details: ["reason": incident.reason.rawValue, "limit": String(incident.limit)])
  }
}
