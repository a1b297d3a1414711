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
    // A lock this process released a moment ago can still be held for a few milliseconds by a
    // child another thread is spawning (the child holds a copy of every descriptor until its
    // exec closes them): try for up to two seconds before calling the folder busy.
    var attempts = 0
    while flock(fd, LOCK_EX | LOCK_NB) != 0 {
      attempts += 1
      guard errno == EWOULDBLOCK || errno == EINTR, attempts < 20 else {
        close(fd)
        throw PipelineError.busy(folder)
      }
      usleep(100_000)
    }
  }

  deinit { close(fd) }
}
