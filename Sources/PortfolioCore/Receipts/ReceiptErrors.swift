/// Problems of a whole receipt, or of what it is compared with: exit 64, nothing written.
enum ReceiptErrors {
  static func noRosters(_ folder: String) -> EnvironmentError {
    EnvironmentError(
      .receiptNoRosters, path: folder,
      en: "no submitted rosters here ({school}_{year}_{term}_{book}.xlsx, in the folder or its rosters/ folder)",
      zh: "這個資料夾（或其中的 rosters/）沒有學校提交的名冊（{學校代碼}_{學年度}_{學期}_{名冊別}.xlsx）。",
      fix: "Give --submitted the output folder of the presubmit run whose rosters were uploaded.",
      fixZH: "請用 --submitted 指定上傳名冊那一次 presubmit 的輸出資料夾。")
  }

  static func unreadableRoster(_ path: String, _ why: String) -> EnvironmentError {
    EnvironmentError(
      .receiptNoRosters, path: path, en: "the roster cannot be read back (\(why))",
      zh: "無法讀取這份名冊（\(why)）。",
      fix: "Run presubmit again to write the rosters, or restore the copy that was uploaded.",
      fixZH: "請重新執行 presubmit 產生名冊，或放回當初上傳的那一份。")
  }

  static func password(_ receipt: String, given: Bool) -> EnvironmentError {
    given
      ? EnvironmentError(
        .receiptPassword, path: receipt, en: "the password does not open the receipt",
        zh: "密碼無法開啟這份收訖明細。",
        fix: "Check the password the school was given (--password-file holds it on its first line).",
        fixZH: "請核對學校收到的密碼（--password-file 指定的檔案第一行就是密碼）。")
      : EnvironmentError(
        .receiptPassword, path: receipt, en: "the receipt is password-protected",
        zh: "這份收訖明細有密碼保護。",
        fix: "Put the password on the first line of a file readable only by you and give --password-file FILE "
          + "(or --password-file - to type it).",
        fixZH: "請把密碼寫在只有你能讀的檔案第一行，再加上 --password-file 檔案（或 --password-file - 直接輸入）。")
  }

  static func untrusted(_ receipt: String, entry: String, _ why: String, _ whyZH: String) -> EnvironmentError {
    EnvironmentError(
      .receiptUntrusted, path: receipt, en: "\(entry) cannot be trusted: \(why)",
      zh: "\(entry) 不可信任：\(whyZH)",
      fix: "Download the receipt again from the central database; if it stays so, report it to the K-12 "
        + "Education Administration.",
      fixZH: "請重新下載收訖明細；若仍然如此，請向國教署反映。")
  }

  static func otherRun(_ receipt: String, entry: String, receipt what: String, submitted: String) -> EnvironmentError {
    EnvironmentError(
      .receiptOtherRun, path: receipt,
      en: "\(entry) is a receipt for \(what), but the rosters given are \(submitted)",
      zh: "\(entry) 是「\(what)」的收訖明細，但提供的名冊是「\(submitted)」。",
      fix: "Compare the receipt with the rosters of the same school, academic year and term.",
      fixZH: "請用同一學校、學年度、學期的名冊比對。")
  }

  static func noJSON(_ receipt: String, ignored: [String]) -> EnvironmentError {
    let list = ignored.isEmpty ? "nothing" : ignored.prefix(10).joined(separator: ", ")
    return EnvironmentError(
      .receiptNoJSON, path: receipt,
      en: "the zip holds no receipt JSON (課程學習成果, 多元表現, 修課紀錄 or 校內幹部經歷 in a file name); it holds \(list)",
      zh: "壓縮檔裡沒有任何收訖明細 JSON（檔名含 課程學習成果、多元表現、修課紀錄 或 校內幹部經歷）。",
      fix: "Check that this is the receipt (收訖明細) zip from the central database.",
      fixZH: "請確認這是中央資料庫的收訖明細壓縮檔。")
  }
}
