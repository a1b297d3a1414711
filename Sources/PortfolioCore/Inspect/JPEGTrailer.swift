import Foundation

/// What a JPEG declares about the data after its end-of-image marker, and the judgement of that
/// data by those declarations: each declared part must be where the file says and hold what it
/// says (a JPEG, a video, Samsung's SEF block); what no declaration covers is judged as any
/// trailing data (`TrailingBytes`). Phones write these routinely (HDR gain maps, depth maps,
/// motion photos), so a declared part is never a finding — but a ZIP after it still is.
struct JPEGTrailerDeclarations {
  /// Secondary images of the MPF index, as file offsets (relative to the MPF header, as the
  /// standard says, or to the start of the file, as Panasonic writes them).
  var images: [(offset: Int, size: Int, headerOffset: Int)] = []
  /// A motion photo's video, counted from the end of the file (XMP `GCamera:MicroVideoOffset`,
  /// or the `Item:Length`s of `Container:Directory` items after the primary image).
  var trailingVideoLength: Int?
  /// The XMP names a motion photo without saying how long its video is.
  var motionPhotoWithoutLength = false
  /// Numbers the Exif maker note holds, and the file offsets they may be relative to: a camera
  /// that appends its preview after the image declares it there by offset and length
  /// (`JPEGExifDeclarations.swift`).
  var makerNoteNumbers: [Int] = []
  var makerNoteBases: [Int] = []

  /// Reads an `APP2` `MPF` segment: the MP entries of its first IFD. `segmentBody` starts at
  /// "MPF\0"; `bodyOffset` is where it is in the file. Bounds are checked on every number.
  mutating func readMPF(_ body: UnsafeRawBufferPointer, bodyOffset: Int) {
    let tiff = 4
    guard body.count >= tiff + 8, let reader = TIFFReader(body.slice(tiff..<body.count)), let ifd = reader.u32(4)
    else { return }
    let entries = reader.entries(at: ifd)
    guard entries.count <= 64 else { return }
    for entry in entries where entry.tag == 0xB002 && entry.count % 16 == 0 && entry.count <= 16 * 64 {
      for image in 0..<(entry.count / 16) {
        let base = entry.value + image * 16
        guard let size = reader.u32(base + 4), let offset = reader.u32(base + 8), offset > 0, size > 0 else { continue }
        images.append((offset: offset, size: size, headerOffset: bodyOffset + tiff))
      }
    }
  }

  /// Reads the XMP packet of an `APP1` segment for a motion photo's video length.
  mutating func readXMP(_ body: UnsafeRawBufferPointer) {
    let text = String(decoding: body, as: UTF8.self)
    guard ["GCamera:MicroVideo", "Container:Directory", "MotionPhoto"].contains(where: { text.contains($0) }) else {
      return
    }
    if let offset = Self.numbers(named: "GCamera:MicroVideoOffset", in: text).first, offset > 0 {
      trailingVideoLength = offset
      return
    }
    // Container:Directory: the items after the primary image lie at the end of the file, in order.
    let lengths = Self.numbers(named: "Item:Length", in: text)
    let total = lengths.reduce(0) { $0 &+ $1 }
    if total > 0, total < 1 << 40 {
      trailingVideoLength = total
    } else {
      motionPhotoWithoutLength = true
    }
  }

  /// Every value of `name` as an attribute (`name="12"`) or an element (`<name>12</name>`).
  static func numbers(named name: String, in text: String) -> [Int] {
    var values: [Int] = []
    for opener in [name + "=\"", "<" + name + ">"] {
      var rest = text[...]
      while let found = rest.range(of: opener) {
        let digits = rest[found.upperBound...].prefix { $0.isASCII && $0.isNumber }
        if let value = Int(digits.prefix(15)) { values.append(value) }
        rest = rest[found.upperBound...]
      }
    }
    return values
  }

  /// The declared parts of `bytes` after `end`, each checked to hold what it claims.
  func declaredParts(_ bytes: UnsafeRawBufferPointer, end: Int) -> [Range<Int>] {
    var parts: [Range<Int>] = []
    for image in images {
      // Offsets relative to the MPF header first (the standard), then to the file (Panasonic).
      for start in [image.headerOffset.addingReportingOverflow(image.offset), (image.offset, false)]
      where !start.1 {
        let (stop, overflow) = start.0.addingReportingOverflow(image.size)
        guard !overflow, start.0 >= end, stop <= bytes.count, start.0 + 2 <= bytes.count,
          bytes[start.0] == 0xFF, bytes[start.0 + 1] == 0xD8
        else { continue }
        parts.append(start.0..<stop)
        break
      }
    }
    if let length = trailingVideoLength, length <= bytes.count - end {
      let start = bytes.count - length
      if start + 12 <= bytes.count, bytes.slice((start + 4)..<(start + 8)).elementsEqual(Array("ftyp".utf8)) {
        parts.append(start..<bytes.count)
      }
    }
    if let samsung = Self.samsungTrailer(bytes, end: end) { parts.append(samsung) }
    parts += makerNotePreviews(bytes, end: end)
    return parts.sorted { $0.lowerBound < $1.lowerBound }
  }

  /// Samsung's SEF trailer: data blocks, then a `SEFH` directory whose entries give each block's
  /// distance back from the directory and its length, then the directory's length and `SEFT`.
  static func samsungTrailer(_ bytes: UnsafeRawBufferPointer, end: Int) -> Range<Int>? {
    let count = bytes.count
    guard count - end >= 8, bytes.slice((count - 4)..<count).elementsEqual(Array("SEFT".utf8)) else { return nil }
    let length = bytes.littleEndian32(count - 8)
    guard length >= 12, length <= count - 8 - end else { return nil }
    let directory = count - 8 - length
    guard bytes.slice(directory..<(directory + 4)).elementsEqual(Array("SEFH".utf8)) else { return nil }
    let entries = bytes.littleEndian32(directory + 8)
    guard entries <= (length - 12) / 12 else { return nil }
    var start = directory
    for index in 0..<entries {
      let entry = directory + 12 + index * 12
      let back = bytes.littleEndian32(entry + 4)
      let size = bytes.littleEndian32(entry + 8)
      guard back <= directory - end, size <= back else { return nil }
      start = min(start, directory - back)
    }
    return start..<count
  }
}

extension JPEGParser {
  /// The data after the end-of-image marker at `end`: declared parts are accepted, the rest is
  /// judged as trailing data.
  static func trailerProblem(
    _ bytes: UnsafeRawBufferPointer, end: Int, declarations: JPEGTrailerDeclarations
  ) -> ContentProblem? {
    var at = end
    for part in declarations.declaredParts(bytes, end: end) {
      if part.lowerBound > at, let problem = undeclared(bytes.slice(at..<part.lowerBound), declarations) {
        return problem
      }
      at = max(at, part.upperBound)
    }
    guard at < bytes.count else { return nil }
    return undeclared(bytes.slice(at..<bytes.count), declarations)
  }

  /// Bytes no declaration covers: padding is fine; another JPEG nothing declares (a camera's
  /// preview) is `trailing-data`; anything else goes to `TrailingBytes`.
  static func undeclared(_ tail: UnsafeRawBufferPointer, _ declarations: JPEGTrailerDeclarations) -> ContentProblem? {
    guard !tail.isEmpty, !tail.allSatisfy({ $0 == 0 || $0 == 0xFF }) else { return nil }
    let appendedJPEG = tail.count > 2 && tail[0] == 0xFF && tail[1] == 0xD8
    if appendedJPEG {
      let why = declarations.images.isEmpty ? "" : " where the MPF index points to no image"
      return .trailingData("another JPEG image (\(tail.count) bytes) after the end-of-image marker\(why)")
    }
    if declarations.motionPhotoWithoutLength, tail.count > 12,
      ByteSearch.firstIndex(of: Array("ftyp".utf8), in: tail.slice(0..<min(tail.count, 64))) != nil
    {
      return .trailingData("a video (\(tail.count) bytes) the motion-photo XMP does not give the length of")
    }
    return TrailingBytes.problem(tail, after: "the JPEG's end-of-image marker")
  }
}
