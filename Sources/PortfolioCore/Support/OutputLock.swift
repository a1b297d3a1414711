import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// An exclusive lock on an output folder, held for the whole run and released by the
/// operating system if the run dies (`flock`).
public final class OutputLock {
  private let fd: Int32

  public init(folder: String) throws {
    try AtomicFile.makeFolder(folder)
    let path = folder + "/.lock"
    fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw SystemError(call: "open", path: path, errno: errno) }
    guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
      close(fd)
      throw PipelineError.busy(folder)
    }
  }

  deinit { close(fd) }
}
