import Synchronization
import SystemPackage

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Bytes a run must keep until its reports are written but does not need in memory until then
/// (the words of its findings): appended to a file without a name in the run's output folder,
/// read back by position. The file is unlinked as soon as it is made (`O_TMPFILE` where the
/// file system has it), so it never shows in the folder and is gone when the last holder of
/// the spool lets go of it, or the process ends — killed or not.
public final class TextSpool: Sendable {
  private let descriptor: FileDescriptor
  private let end = Atomic<Int64>(0)
  /// Where it lives, for messages (the file itself has no name).
  public let folder: String

  /// A spool in `folder` (which must exist and be writable); `unnamed: false` skips
  /// `O_TMPFILE` and goes straight to the named file unlinked at once (tests).
  public init(folder: String, unnamed: Bool = true) throws(SystemError) {
    self.folder = folder
    let flags = O_RDWR | O_CLOEXEC
    var fd = unnamed ? open(folder, flags | Self.temporaryFile, 0o600) : -1
    if fd < 0 {
      // No O_TMPFILE here (some network and overlay file systems): a named file, unlinked at
      // once; a run killed in between leaves a `.tmp-` name that the next run removes.
      var template = Array((folder + "/.portfolio-spool.tmp-XXXXXX").utf8CString)
      fd = template.withUnsafeMutableBufferPointer { $0.baseAddress.map { mkstemp($0) } ?? -1 }
      guard fd >= 0 else { throw SystemError(call: "mkstemp", path: folder, errno: errno) }
      unlink(template)
      _ = fcntl(fd, F_SETFD, FD_CLOEXEC)  // never inherited by an inspection worker
    }
    descriptor = FileDescriptor(rawValue: fd)
  }

  deinit { try? descriptor.close() }

  /// `O_TMPFILE` (Glibc's Swift overlay does not import it: it is `__O_TMPFILE | O_DIRECTORY`,
  /// `__O_TMPFILE` being 020000000 on x86-64 and arm64); 0 elsewhere, which makes `open` fail
  /// on the folder and the named fallback run.
  private static var temporaryFile: Int32 {
    #if os(Linux) && (arch(x86_64) || arch(arm64))
      return 0o20000000 | O_DIRECTORY
    #else
      return 0
    #endif
  }

  /// Where some bytes went.
  public struct Place: Sendable, Equatable {
    let offset: Int64
    let count: Int32
  }

  /// Appends `bytes` (from any thread); `nil` when they could not be written (a full disk):
  /// the caller keeps them in memory instead.
  public func append(_ bytes: [UInt8]) -> Place? {
    guard bytes.count < Int(Int32.max) else { return nil }
    let offset = end.add(Int64(bytes.count), ordering: .relaxed).oldValue
    do {
      let written = try bytes.withUnsafeBytes {
        try descriptor.writeAll(toAbsoluteOffset: offset, $0)
      }
      guard written == bytes.count else { return nil }
    } catch {
      return nil
    }
    return Place(offset: offset, count: Int32(bytes.count))
  }

  /// The bytes at `place`, or the error that kept them from being read.
  public func read(_ place: Place) -> Result<[UInt8], SystemError> {
    var failure: SystemError?
    let bytes = [UInt8](unsafeUninitializedCapacity: Int(place.count)) { buffer, initialized in
      initialized = 0
      while initialized < buffer.count {
        do {
          let read = try descriptor.read(
            fromAbsoluteOffset: place.offset + Int64(initialized),
            into: UnsafeMutableRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(buffer)[initialized...]),
            retryOnInterrupt: true)
          guard read > 0 else {
            failure = SystemError(call: "pread", path: folder + " (spool)", errno: EIO)
            break
          }
          initialized += read
        } catch let error as Errno {
          failure = SystemError(call: "pread", path: folder + " (spool)", errno: error.rawValue)
          break
        } catch {
          failure = SystemError(call: "pread", path: folder + " (spool)", errno: EIO)
          break
        }
      }
    }
    if let failure { return .failure(failure) }
    return .success(bytes)
  }

  /// Bytes appended so far.
  public var size: Int64 { end.load(ordering: .relaxed) }

  /// Appends `bytes` for a writer that cannot keep them in memory instead (a part's rows, an
  /// output's waiting lines); a write that fails is the error.
  func keep(_ bytes: [UInt8]) throws(SystemError) -> Place {
    guard let place = append(bytes) else {
      throw SystemError(call: "write", path: folder + " (spool)", errno: ENOSPC)
    }
    return place
  }

  /// `keep` for a writer that spills into the spool (`ByteSink`): the places follow each other.
  func write(_ bytes: [UInt8]) throws(SystemError) { _ = try keep(bytes) }

  /// Every byte appended so far, in order, to `sink`, a megabyte at a time.
  func copyAll(to sink: some ByteSink) throws(SystemError) {
    var offset: Int64 = 0
    while offset < size {
      let count = Int32(min(Int64(1 << 20), size - offset))
      try sink.write(try read(Place(offset: offset, count: count)).get())
      offset += Int64(count)
    }
  }
}

extension TextSpool: ByteSink {}
