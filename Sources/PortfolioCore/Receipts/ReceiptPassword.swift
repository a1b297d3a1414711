import Foundation

/// The receipt's password: the first line of a file (`-`: standard input). Never an argument
/// (it would show in `ps` and the shell's history) and never logged.
public enum ReceiptPassword {
  public static func read(from path: String) throws(EnvironmentError) -> String {
    var text: String
    if path == "-" {
      text = readLine(strippingNewline: true) ?? ""
    } else {
      try PathCheck.file(path, role: .passwordFile)
      guard case .success(let bytes) = FileSystem.readSmallFile(path, maxBytes: 4096) else {
        throw EnvironmentError(
          .pathNotFound, path: path, en: "the password file cannot be read (or is over 4 KiB)",
          zh: "無法讀取密碼檔（或超過 4 KiB）。", fix: "Put the password alone on the first line of a small file.",
          fixZH: "請把密碼單獨寫在一個小檔案的第一行。")
      }
      let body = TextEncoding.withoutBOM(bytes)
      text = String(decoding: body, as: UTF8.self)
    }
    text = String(
      text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).first ?? "")
    if text.hasSuffix("\r") { text.removeLast() }
    guard !text.isEmpty else {
      throw EnvironmentError(
        .receiptPassword, path: path, en: "the password file is empty", zh: "密碼檔是空的。",
        fix: "Put the receipt's password on the first line.", fixZH: "請把收訖明細的密碼寫在第一行。")
    }
    return text
  }
}
