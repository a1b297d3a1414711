/// A preview image some cameras (Pentax, Samsung) append after the end-of-image marker and
/// declare in their Exif maker note by offset and length. Maker notes are vendor formats; what
/// they share is an IFD of numbers. A trailer counts as declared when two numbers of the maker
/// note — relative to the Exif TIFF header or to the maker note itself — point exactly at a JPEG
/// there: its start marker at the offset, its end marker at offset + length. Every read is
/// bounded; at most `maxNumbers` numbers are kept.
extension JPEGTrailerDeclarations {
  static let maxNumbers = 256
  static let makerNoteTag = 0x927C
  static let exifIFDTag = 0x8769

  /// Reads an `APP1` Exif segment (`body` starts at "Exif\0\0"; `bodyOffset` is where it is in
  /// the file): IFD0 → the Exif IFD → the maker note, whose IFD numbers are kept.
  mutating func readExif(_ body: UnsafeRawBufferPointer, bodyOffset: Int) {
    let tiff = body.slice(6..<body.count)
    guard let order = TIFFReader(tiff), let first = order.u32(4),
      let exif = order.entries(at: first).first(where: { $0.tag == Self.exifIFDTag })?.value,
      let note = order.entries(at: exif).first(where: { $0.tag == Self.makerNoteTag }),
      note.value >= 0, note.count > 0, note.value + note.count <= tiff.count
    else { return }
    let noteBytes = tiff.slice(note.value..<(note.value + note.count))
    // Where vendors put the maker note's IFD: at its start (Samsung), after "AOC\0" + byte order
    // (Pentax), after "PENTAX \0" + byte order, after a vendor name and version (others).
    var local = order.over(noteBytes)
    for (marker, at) in [("AOC\0", 4), ("PENTAX \0", 8)]
    where noteBytes.starts(with: Array(marker.utf8)) && at < noteBytes.count {
      local = TIFFReader(byteOrderAt: noteBytes.slice(at..<noteBytes.count))?.over(noteBytes) ?? local
    }
    for start in [0, 6, 8, 10, 12, 14, 18] where start < noteBytes.count {
      for entry in local.entries(at: start) where entry.isNumber && makerNoteNumbers.count < Self.maxNumbers {
        makerNoteNumbers.append(entry.value)
      }
    }
    let tiffStart = bodyOffset + 6
    makerNoteBases = [tiffStart, tiffStart + note.value]
  }

  /// The trailing JPEGs two maker-note numbers declare (offset and length), each exactly there.
  func makerNotePreviews(_ bytes: UnsafeRawBufferPointer, end: Int) -> [Range<Int>] {
    var parts: [Range<Int>] = []
    let numbers = Set(makerNoteNumbers.filter { $0 > 0 })
    for base in makerNoteBases {
      for offset in numbers {
        let start = base + offset
        guard start >= end, start + 4 <= bytes.count, bytes[start] == 0xFF, bytes[start + 1] == 0xD8 else { continue }
        for length in numbers where length >= 4 && start + length <= bytes.count {
          let stop = start + length
          if bytes[stop - 2] == 0xFF, bytes[stop - 1] == 0xD9 { parts.append(start..<stop) }
        }
      }
    }
    return parts
  }
}

/// The little TIFF structure Exif uses: a byte order, then IFDs of 12-byte entries.
struct TIFFReader {
  struct Entry {
    let tag: Int
    let type: Int
    let count: Int
    let value: Int
    /// A single SHORT or LONG: a number an offset or a length can be.
    var isNumber: Bool { count == 1 && (type == 3 || type == 4) }
  }

  let bytes: UnsafeRawBufferPointer
  let little: Bool

  /// A reader of `bytes`, which start with a TIFF header (`II*\0` or `MM\0*`).
  init?(_ bytes: UnsafeRawBufferPointer) {
    guard bytes.count >= 8, let reader = TIFFReader(byteOrderAt: bytes) else { return nil }
    self = reader.over(bytes)
  }

  /// The byte order named by the two bytes `II` or `MM` at the start of `marker`.
  init?(byteOrderAt marker: UnsafeRawBufferPointer) {
    guard marker.count >= 2 else { return nil }
    switch (marker[0], marker[1]) {
    case (0x49, 0x49): little = true
    case (0x4D, 0x4D): little = false
    default: return nil
    }
    bytes = marker
  }

  private init(bytes: UnsafeRawBufferPointer, little: Bool) {
    self.bytes = bytes
    self.little = little
  }

  /// The same byte order over other bytes.
  func over(_ other: UnsafeRawBufferPointer) -> TIFFReader { TIFFReader(bytes: other, little: little) }

  func u16(_ at: Int) -> Int? {
    guard at >= 0, at + 2 <= bytes.count else { return nil }
    return little ? Int(bytes[at]) | Int(bytes[at + 1]) << 8 : Int(bytes[at]) << 8 | Int(bytes[at + 1])
  }

  func u32(_ at: Int) -> Int? {
    guard let high = u16(little ? at + 2 : at), let low = u16(little ? at : at + 2) else { return nil }
    return high << 16 | low
  }

  /// The entries of the IFD at `offset` (at most 512; none when it does not fit).
  func entries(at offset: Int) -> [Entry] {
    guard let count = u16(offset), count > 0, count <= 512, offset + 2 + count * 12 <= bytes.count else { return [] }
    return (0..<count).compactMap { index in
      let at = offset + 2 + index * 12
      guard let tag = u16(at), let type = u16(at + 2), let number = u32(at + 4) else { return nil }
      let value = type == 3 && number == 1 ? u16(at + 8) : u32(at + 8)
      return value.map { Entry(tag: tag, type: type, count: number, value: $0) }
    }
  }
}
