/// Names of content types for people: what a file "really is", and what to do about it.
enum ContentNames {
  struct Name {
    let zh: String
    let en: String
    /// What a student should do with such a file, in Chinese.
    let advice: String
  }

  static let allowedList = "文件可用 PDF、JPG、PNG；影音可用 MP3、MP4"

  /// `name` as it follows Chinese text: with a space before it when it starts with a Latin
  /// letter or a digit (「內容其實是 iPhone 的 HEIC 照片」, but 「內容其實是壓縮檔」), as
  /// Taiwanese typesetting spaces Latin words within Chinese.
  static func afterChinese(_ name: String) -> String {
    guard let first = name.unicodeScalars.first, first.isASCII,
      first.properties.isAlphabetic || ("0"..."9").contains(first)
    else { return name }
    return " " + name
  }

  static func of(_ mime: String) -> Name {
    if let type = ContentType(mime: mime) { return Name(zh: type.zh, en: type.en, advice: "") }
    return switch mime {
    case "image/heic", "image/heif":
      Name(
        zh: "iPhone 的 HEIC 照片", en: "a HEIC photo (iPhone)",
        advice: "請在手機「設定 > 相機 > 格式」選「最相容」，或把照片轉存為 JPG 或 PDF 後重新上傳。")
    case "video/quicktime":
      Name(zh: "iPhone 的 MOV 影片", en: "a QuickTime MOV video (iPhone)", advice: "請把影片轉成 MP4 後重新上傳。")
    case "audio/x-m4a", "audio/mp4":
      Name(zh: "M4A 錄音檔", en: "an M4A audio file", advice: "請把錄音轉成 MP3 後重新上傳。")
    case "image/gif": Name(zh: "GIF 動畫", en: "a GIF image", advice: "請轉存為 PNG 或 JPG 後重新上傳。")
    case "image/webp": Name(zh: "WebP 圖片", en: "a WebP image", advice: "請轉存為 PNG 或 JPG 後重新上傳。")
    case "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "application/msword":
      Name(zh: "Word 文件", en: "a Word document", advice: "請在 Word 選「另存新檔 > PDF」後重新上傳。")
    case "application/vnd.openxmlformats-officedocument.presentationml.presentation",
      "application/vnd.ms-powerpoint":
      Name(zh: "PowerPoint 簡報", en: "a PowerPoint presentation", advice: "請把簡報匯出為 PDF 後重新上傳。")
    case "application/zip", "application/x-rar", "application/x-7z-compressed":
      Name(zh: "壓縮檔", en: "a compressed archive", advice: "請解壓縮，把裡面的檔案轉成 PDF、JPG 或 PNG 分別上傳。")
    case "text/html":
      Name(zh: "網頁（HTML）", en: "an HTML page", advice: "請把網頁內容列印成 PDF 後重新上傳。")
    case "application/vnd.microsoft.portable-executable", "application/x-dosexec":
      Name(zh: "Windows 執行檔（程式）", en: "a Windows executable", advice: "這不是作品檔案，請確認選對檔案後重新上傳。")
    case "text/plain": Name(zh: "純文字檔", en: "a plain-text file", advice: "請轉存為 PDF 後重新上傳。")
    default:
      Name(zh: "其他格式（\(mime)）", en: "\(mime)", advice: "請轉存為 PDF、JPG 或 PNG（影音為 MP3、MP4）後重新上傳。")
    }
  }

  /// The extension we would give the content.
  static func preferredExtension(_ mime: String) -> String? { ContentType(mime: mime)?.packageExtension }

  /// The word a student uses for a file of this role and type.
  static func kindWord(_ mime: String, role: FileRole) -> String {
    ContentType(mime: mime)?.word ?? (role == .media ? "影音檔" : "文件")
  }
}
