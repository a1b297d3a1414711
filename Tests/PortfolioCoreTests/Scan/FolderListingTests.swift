import Foundation
import TestSupport
import Testing

@testable import PortfolioCore

/// Folders listed with getdents64 and looked into by name: the same names, in the same byte
/// order, as the C library's own `readdir` gives, however many calls the listing takes.
@Suite struct FolderListingTests {
  /// What glibc's readdir lists, without `.` and `..`, in byte order: the witness.
  static func readdirNames(_ path: String) -> [[UInt8]] {
    guard let directory = opendir(path) else { return [] }
    defer { closedir(directory) }
    var names: [[UInt8]] = []
    while let entry = readdir(directory) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { Array($0.prefix { $0 != 0 }) }
      if name != [0x2E], name != [0x2E, 0x2E] { names.append(name) }
    }
    return names.sorted { $0.lexicographicallyPrecedes($1) }
  }

  @Test func aFolderOfManyLongNamesIsListedWhole() throws {
    let folder = Scratch.path("listing")
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    // 1,500 names of ~120 bytes: about 200 KB of records, several getdents64 calls of 32 KiB.
    var made: [[UInt8]] = []
    for index in 0..<1_500 {
      let name = "作品-\(index)-" + String(repeating: "x", count: 100)
      #expect(FileManager.default.createFile(atPath: folder + "/" + name, contents: nil))
      made.append(Array(name.utf8))
    }
    // A name that is not UTF-8, and a folder, are listed like any other name.
    let latin1: [UInt8] = Array("caf".utf8) + [0xE9]
    let fd = (folder + "/").utf8CString.withUnsafeBufferPointer { prefix in
      (Array(prefix.dropLast()).map { UInt8(bitPattern: $0) } + latin1 + [0]).withUnsafeBufferPointer {
        $0.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_CREAT | O_WRONLY, 0o644) }
      }
    }
    #expect(fd >= 0)
    close(fd)
    try FileManager.default.createDirectory(atPath: folder + "/sub", withIntermediateDirectories: false)
    made += [latin1, Array("sub".utf8)]
    guard case .success(let names) = FileSystem.names(in: folder) else {
      Issue.record("listing \(folder) failed")
      return
    }
    #expect(names.map(\.bytes) == made.sorted { $0.lexicographicallyPrecedes($1) })
    #expect(names.map(\.bytes) == Self.readdirNames(folder))
    #expect(names.count == 1_502)
  }

  @Test func anEmptyFolderListsNothing() throws {
    let folder = Scratch.path("empty")
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    guard case .success(let names) = FileSystem.names(in: folder) else {
      Issue.record("listing \(folder) failed")
      return
    }
    #expect(names.isEmpty)
  }

  @Test func aMissingFolderOrALinkToOneIsNotListed() throws {
    let folder = Scratch.path("real")
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let link = Scratch.path("link")
    try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: folder)
    guard case .failure(let missing) = FileSystem.names(in: folder + "-gone") else {
      Issue.record("a missing folder was listed")
      return
    }
    #expect(missing.isMissing)
    #expect(missing.call == "open")
    guard case .failure(let linked) = FileSystem.names(in: link) else {
      Issue.record("a link to a folder was followed")
      return
    }
    #expect(linked.errno == ELOOP || linked.errno == ENOTDIR)
  }

  @Test func entriesAreLookedAtByNameInAnOpenFolder() throws {
    let folder = Scratch.path("at")
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    #expect(FileManager.default.createFile(atPath: folder + "/item.json", contents: Data("{\"a\":1}".utf8)))
    try FileManager.default.createSymbolicLink(atPath: folder + "/link.json", withDestinationPath: "item.json")
    let (opened, failure) = FolderAt.open("at", in: FolderAt(fd: AT_FDCWD, path: "unused"))
    // A folder that cannot be opened is looked into by its path instead.
    #expect(failure?.isMissing == true)
    #expect(opened.fd == AT_FDCWD)
    #expect(opened.name("item.json") == "unused/at/item.json")
    let parent = (folder as NSString).deletingLastPathComponent
    let (at, none) = FolderAt.open((folder as NSString).lastPathComponent, in: FolderAt(fd: AT_FDCWD, path: parent))
    defer { at.close() }
    #expect(none == nil)
    #expect(at.fd >= 0)
    #expect(at.path == folder)
    let read = FileSystem.readSmallFile("item.json", in: at.fd, path: at.path(of: "item.json"), maxBytes: 100)
    #expect((try? read.get()) == Array("{\"a\":1}".utf8))
    guard
      case .failure(.open(.notRegular(.symbolicLink))) = FileSystem.readSmallFile(
        "link.json", in: at.fd, path: at.path(of: "link.json"), maxBytes: 100)
    else {
      Issue.record("a link was read")
      return
    }
    guard case .failure(.tooLarge(7)) = FileSystem.readSmallFile("item.json", in: at.fd, path: "", maxBytes: 6)
    else {
      Issue.record("a file over the cap was read")
      return
    }
    guard case .success(let stat) = FileSystem.statRegularFile("item.json", in: at.fd, path: "") else {
      Issue.record("fstatat failed")
      return
    }
    #expect(stat.size == 7)
    #expect((try? at.names().get())?.map(\.display) == ["item.json", "link.json"])
  }

  /// A file the scan found regular is opened without `lstat`: what is there at the open decides.
  /// A FIFO put in its place is neither waited on nor read (`fstat` after the open), a link is
  /// not followed, and a regular file is inspected as it would be after `lstat`.
  @Test func aScannedFileIsOpenedWithoutLstatAndStillOnlyARegularFile() throws {
    let folder = Scratch.path("scanned")
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    #expect(mkfifo(folder + "/pipe.pdf", 0o644) == 0)
    #expect(symlink("/etc/hostname", folder + "/link.pdf") == 0)
    #expect(FileManager.default.createFile(atPath: folder + "/note.txt", contents: Data("hello\n".utf8)))
    let inspector = try FileInspector(maxParsedBytes: 1 << 20, limits: ParseLimits(maxPixels: 1 << 20))
    func refusal(_ name: String, scanned: Bool) -> FileSystem.OpenFailure? {
      do throws(FileSystem.OpenFailure) {
        _ = try inspector.inspect(path: folder + "/" + name, scanned: scanned)
        return nil
      } catch { return error }
    }
    for scanned in [false, true] {
      guard case .notRegular(.fifo)? = refusal("pipe.pdf", scanned: scanned) else {
        Issue.record("a FIFO was not refused as one (scanned: \(scanned))")
        continue
      }
      guard case .notRegular(.symbolicLink)? = refusal("link.pdf", scanned: scanned) else {
        Issue.record("a link was not refused as one (scanned: \(scanned))")
        continue
      }
      let text = try inspector.inspect(path: folder + "/note.txt", scanned: scanned)
      #expect(text.mime == "text/plain")
      #expect(text.bytes == 6)
      #expect(text.sha256 == "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03")
    }
  }

  /// A read that answers `EAGAIN` (a descriptor still non-blocking) is made again blocking: the
  /// bytes come when they are there, not as a failure. A pipe stands in for a file system that
  /// honours `O_NONBLOCK` on a regular file.
  @Test func aReadThatWouldBlockIsMadeAgainBlocking() throws {
    var ends: [Int32] = [0, 0]
    #expect(pipe(&ends) == 0)
    defer {
      close(ends[0])
      close(ends[1])
    }
    #expect(fcntl(ends[0], F_SETFL, O_NONBLOCK) == 0)
    let writer = ends[1]
    let thread = Thread {
      usleep(100_000)
      _ = "late".withCString { write(writer, $0, 4) }
    }
    thread.start()
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 16, alignment: 1)
    defer { buffer.deallocate() }
    let got = try FileSystem.readRegular(ends[0], into: buffer, path: "pipe").get()
    #expect(Array(buffer[0..<got]) == Array("late".utf8))
    #expect(fcntl(ends[0], F_GETFL) & O_NONBLOCK == 0)
  }
}
