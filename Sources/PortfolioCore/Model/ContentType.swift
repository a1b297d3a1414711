/// The five content types the rules allow: the single source of their MIME types, names and
/// file extensions (packages, caps, the checker's entry names and the messages all use it).
public enum ContentType: String, Codable, Sendable, CaseIterable {
  case pdf = "application/pdf"
  case jpeg = "image/jpeg"
  case png = "image/png"
  case mp3 = "audio/mpeg"
  case mp4 = "video/mp4"

  /// The type of a sniffed MIME type, when it is one of the five.
  public init?(mime: String) { self.init(rawValue: mime) }

  public var mime: String { rawValue }

  /// The extensions that fit the type; the first is the one packages use.
  public var extensions: [String] {
    switch self {
    case .pdf: ["pdf"]
    case .jpeg: ["jpg", "jpeg", "jpe"]
    case .png: ["png"]
    case .mp3: ["mp3"]
    case .mp4: ["mp4", "m4v"]
    }
  }

  /// The extension a package gives the content (`IMG_2041.JPG` becomes `1.jpg`).
  public var packageExtension: String { extensions[0] }

  /// The type whose package extension is `ext`.
  public init?(packageExtension ext: String) {
    guard let type = Self.allCases.first(where: { $0.packageExtension == ext }) else { return nil }
    self = type
  }

  /// What a student calls it, in Chinese, and what staff call it.
  var zh: String {
    switch self {
    case .pdf: "PDF 文件"
    case .jpeg: "JPG 圖片"
    case .png: "PNG 圖片"
    case .mp3: "MP3 音檔"
    case .mp4: "MP4 影片"
    }
  }

  var en: String {
    switch self {
    case .pdf: "a PDF document"
    case .jpeg: "a JPEG image"
    case .png: "a PNG image"
    case .mp3: "an MP3 audio file"
    case .mp4: "an MP4 video"
    }
  }

  /// The word a student uses for a file of this type.
  var word: String {
    switch self {
    case .mp4: "影片"
    case .mp3: "音檔"
    case .jpeg, .png: "圖片"
    case .pdf: "文件"
    }
  }
}
