import Digest
import Foundation
import ZipKit

/// One trusted JSON file of a receipt: its name, kind and bytes (its SHA-256 matched SHA.txt).
struct ReceiptFile: Sendable {
  var name: String
  var kind: ReceiptKind
  var bytes: [UInt8]
}

/// The receipt zip read as hostile input: bounded entries, sizes and ratios, unsafe names
/// refused, every JSON verified against `SHA.txt`. Nothing is extracted to disk.
struct ReceiptArchive: Sendable {
  var files: [ReceiptFile]
  /// Entries that are not receipt JSON (reported, not read).
  var ignored: [String]

  static let maxEntries = 64
  static let maxJSONBytes: UInt64 = 256 * 1024 * 1024
  static let maxSHABytes: UInt64 = 64 * 1024
  /// JSON compresses well, but not 500:1.
  static let maxRatio: UInt64 = 500

  static func read(path: String, password: String?) throws(EnvironmentError) -> ReceiptArchive {
    let reader: ZipArchiveReader
    let entries: [ZipEntry]
    do {
      reader = try ZipArchiveReader(path: path)
      entries = try reader.entries()
      if let password { try reader.setPassword(password) }
    } catch {
      throw ReceiptErrors.untrusted(path, entry: "the zip", "\(error)", "壓縮檔無法讀取（\(error.message)）")
    }
    guard entries.count <= maxEntries else {
      throw ReceiptErrors.untrusted(
        path, entry: "the zip", "it has \(entries.count) entries; a receipt has a few",
        "壓縮檔有 \(entries.count) 個項目，收訖明細只會有幾個")
    }
    var top: [String: ZipEntry] = [:]
    var ignored: [String] = []
    for entry in entries {
      // By bytes: a slash or backslash followed by a combining mark is one `Character`, which
      // `split` and Foundation's `contains` do not see as a slash.
      guard let name = entry.name, !name.utf8.contains(0), name.utf8.first != 0x2F, !name.utf8.contains(0x5C),
        !name.utf8.split(separator: 0x2F, omittingEmptySubsequences: false).contains(where: {
          $0.elementsEqual("..".utf8)
        }),
        !entry.isSymlink
      else {
        let shown = entry.name ?? "a non-UTF-8 name"
        throw ReceiptErrors.untrusted(
          path, entry: shown, "an entry name that leaves the zip's folder, or a link",
          "項目名稱會跳出壓縮檔的資料夾，或是連結")
      }
      if entry.isDirectory || name.utf8.contains(0x2F) {
        ignored.append(name)
      } else {
        top[name.precomposedStringWithCanonicalMapping] = entry
      }
    }
    if password == nil, entries.contains(where: \.isEncrypted) {
      throw ReceiptErrors.password(path, given: false)
    }
    let shaEntry = top.first { $0.key.lowercased() == "sha.txt" }
    var lines: [String: String] = [:]
    if let shaEntry { lines = shaLines(try read(shaEntry.value, shaEntry.key, reader, path, cap: maxSHABytes)) }
    var files: [ReceiptFile] = []
    for (name, entry) in top.sorted(by: { $0.key < $1.key }) where name != shaEntry?.key {
      guard name.lowercased().hasSuffix(".json"), let kind = ReceiptKind.of(fileName: name) else {
        ignored.append(name)
        continue
      }
      let bytes = try read(entry, name, reader, path, cap: maxJSONBytes)
      guard let expected = lines[name] else {
        throw ReceiptErrors.untrusted(
          path, entry: name, shaEntry == nil ? "the zip has no SHA.txt" : "SHA.txt has no line for it",
          shaEntry == nil ? "壓縮檔裡沒有 SHA.txt" : "SHA.txt 沒有這個檔案的雜湊值")
      }
      guard sha256(bytes) == expected else {
        throw ReceiptErrors.untrusted(
          path, entry: name, "its SHA-256 differs from SHA.txt's line (changed or damaged)",
          "內容的 SHA-256 和 SHA.txt 記載的不同（被改過或已損壞）")
      }
      files.append(ReceiptFile(name: name, kind: kind, bytes: bytes))
    }
    guard !files.isEmpty else { throw ReceiptErrors.noJSON(path, ignored: ignored.sorted()) }
    return ReceiptArchive(files: files, ignored: ignored.sorted())
  }

  static func read(_ entry: ZipEntry, _ name: String, _ reader: ZipArchiveReader, _ path: String, cap: UInt64)
    throws(EnvironmentError) -> [UInt8]
  {
    if entry.isDeflated, entry.declaredSize > max(entry.compressedSize, 1) * maxRatio {
      throw ReceiptErrors.untrusted(
        path, entry: name, "it would expand \(entry.declaredSize / max(entry.compressedSize, 1)) times (a zip bomb)",
        "解壓後會膨脹 \(entry.declaredSize / max(entry.compressedSize, 1)) 倍（壓縮炸彈）")
    }
    do {
      return try reader.readAll(entry, maxBytes: cap)
    } catch let error as ZipError where error.kind == .wrongPassword {
      throw ReceiptErrors.password(path, given: reader.hasPassword)
    } catch let error as ZipError where error.kind == .overLimit {
      throw ReceiptErrors.untrusted(
        path, entry: name, "larger than the \(cap) bytes a receipt file may hold (\(error.message))",
        "超過收訖明細檔案的大小上限 \(cap) 位元組")
    } catch {
      throw ReceiptErrors.untrusted(path, entry: name, "it cannot be read (\(error))", "無法讀取")
    }
  }

  /// `SHA.txt`: `{fileName},{sha256 hex}` per line; a BOM, CRLF and either case of hex accepted.
  static func shaLines(_ bytes: [UInt8]) -> [String: String] {
    let text = String(decoding: TextEncoding.withoutBOM(bytes), as: UTF8.self)
    var lines: [String: String] = [:]
    for line in text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
      guard let comma = line.lastIndex(of: ",") else { continue }
      let name = line[..<comma].trimmingCharacters(in: .whitespaces).precomposedStringWithCanonicalMapping
      let hash = line[line.index(after: comma)...].trimmingCharacters(in: .whitespaces).lowercased()
      if hash.count == 64, hash.allSatisfy(\.isHexDigit) { lines[name] = hash }
    }
    return lines
  }

  static func sha256(_ bytes: [UInt8]) -> String? {
    guard let hasher = try? DigestHasher(.sha256) else { return nil }
    bytes.withUnsafeBytes { hasher.update($0) }
    return try? hasher.finish()
  }
}
