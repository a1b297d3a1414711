/// `inspection-failed`: the isolated worker checking the file needed more memory or time than
/// the per-file limits allow, or ended abnormally (a crash inside a parser). The file cannot be
/// vouched for, so it is refused; the run goes on with a fresh worker. What the limit was and
/// what was seen is the evidence.
enum InspectionFailed: FindingRule {
  static let code = Finding.Code.inspectionFailed

  static func finding(_ place: FindingPlace, incident: WorkerIncident, bytes: Int64) -> Finding {
    let name = place.label
    let advice = "這通常表示檔案內部的結構異常（例如損壞或被刻意做得很複雜）。請用原本的程式重新匯出或「另存新檔」後再上傳；若仍然失敗，請告訴學校資訊組。"
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
}
