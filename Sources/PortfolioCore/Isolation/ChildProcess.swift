import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// A child process started with `posix_spawn`, talking over two pipes (its standard input and
/// output); its standard error goes to `/dev/null`. Every descriptor the parent keeps is
/// close-on-exec, so no other child inherits a pipe end (a leaked write end would hide a
/// worker's death). The owner must `kill()` or `finish()` it; `deinit` kills what is left.
final class ChildProcess {
  let pid: pid_t
  /// The parent's end of the child's standard input.
  private(set) var input: Int32
  /// The parent's end of the child's standard output.
  private(set) var output: Int32
  private var reaped = false

  /// How a child ended.
  enum Ending: Equatable, Sendable {
    case exited(Int32)
    case signalled(Int32)
  }

  /// Starts `executable` with `arguments` and the parent's environment plus `environment`.
  /// The corresponding C function is `posix_spawn`.
  init(executable: String, arguments: [String], environment: [String: String]) throws(SystemError) {
    // Glibc's pipe2 is not visible to Swift: pipe + FD_CLOEXEC, under one lock with the spawn
    // so that no other thread's child is started between the two.
    let started = Self.spawning.withLock { _ in
      Result { () throws(SystemError) in try Self.spawn(executable, arguments, environment) }
    }
    switch started {
    case .success(let value): (pid, input, output) = value
    case .failure(let error): throw error
    }
  }

  private static let spawning = Mutex(())

  private static func makePipe(_ executable: String) throws(SystemError) -> [Int32] {
    var ends: [Int32] = [-1, -1]
    guard pipe(&ends) == 0 else { throw SystemError(call: "pipe", path: executable, errno: errno) }
    for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
    return ends
  }

  private static func spawn(_ executable: String, _ arguments: [String], _ environment: [String: String])
    throws(SystemError) -> (pid_t, Int32, Int32)
  {
    let toChild = try makePipe(executable)
    let fromChild: [Int32]
    do {
      fromChild = try makePipe(executable)
    } catch {
      close(toChild[0])
      close(toChild[1])
      throw error
    }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    // dup2 onto 0 and 1 clears close-on-exec on the copies the child keeps.
    posix_spawn_file_actions_adddup2(&actions, toChild[0], 0)
    posix_spawn_file_actions_adddup2(&actions, fromChild[1], 1)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    var merged = ProcessInfo.processInfo.environment
    for (key, value) in environment { merged[key] = value }
    let argv = ([executable] + arguments).map { strdup($0) }
    let envp = merged.map { strdup("\($0.key)=\($0.value)") }
    defer {
      for pointer in argv { free(pointer) }
      for pointer in envp { free(pointer) }
    }
    var child: pid_t = 0
    var argvList = argv + [nil]
    var envList = envp + [nil]
    let status = argvList.withUnsafeMutableBufferPointer { argvBuffer in
      envList.withUnsafeMutableBufferPointer { envBuffer in
        guard let argvBase = argvBuffer.baseAddress, let envBase = envBuffer.baseAddress else { return EINVAL }
        return posix_spawn(&child, executable, &actions, nil, argvBase, envBase)
      }
    }
    close(toChild[0])
    close(fromChild[1])
    guard status == 0 else {
      close(toChild[1])
      close(fromChild[0])
      throw SystemError(call: "posix_spawn", path: executable, errno: status)
    }
    _ = fcntl(fromChild[0], F_SETFL, fcntl(fromChild[0], F_GETFL) | O_NONBLOCK)
    return (child, toChild[1], fromChild[0])
  }

  deinit {
    if !reaped { _ = kill() }
    closePipes()
    scratch.deallocate()
  }

  /// Writes all of `bytes` to the child's standard input; `false` when the child is gone
  /// (`EPIPE`: SIGPIPE is ignored by the supervisor).
  func send(_ bytes: [UInt8]) -> Bool {
    bytes.withUnsafeBytes { raw in
      do {
        try FileSystem.writeAll(input, raw, path: "inspection worker")
        return true
      } catch {
        return false
      }
    }
  }

  /// Why reading from the child stopped.
  enum ReadStop: Error, Equatable {
    /// The deadline passed.
    case deadline
    /// The child closed its output (it ended) before the whole message came.
    case closed
  }

  /// What was read from the child beyond the last message taken (replies often arrive
  /// together: one `read` takes them all).
  private var pending: [UInt8] = []
  private var pendingStart = 0
  /// Whether the next read should wait (poll) first: the last read found nothing, or took all
  /// there was (less than it could hold) — a read straight after would most often find nothing.
  private var waitForOutput = false
  /// Where each `read` lands before what came is appended to `pending` (allocated once).
  private let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 65_536, alignment: 16)

  /// Reads exactly `count` bytes from the child's output before `deadline` (a
  /// `DispatchTime` uptime in nanoseconds), calling `watch` every `tick` milliseconds while it
  /// waits. Reads up to 64 KiB at a time and keeps the rest for the next call. The
  /// corresponding C functions are `poll` and `read`.
  func receive(_ count: Int, deadline: UInt64, tick: Int32 = 25, watch: () -> Void) throws(ReadStop) -> [UInt8] {
    while pending.count - pendingStart < count {
      if pendingStart > 0 {
        pending.removeFirst(pendingStart)
        pendingStart = 0
      }
      let now = DispatchTime.now().uptimeNanoseconds
      guard now < deadline else { throw .deadline }
      // The output is non-blocking: an answer already there (the worker was sent files ahead)
      // is read without a poll; poll only waits for one that is not.
      if waitForOutput {
        let remaining = Int32(clamping: min(UInt64(max(tick, 1)), (deadline - now) / 1_000_000 + 1))
        var descriptor = pollfd(fd: output, events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, remaining)
        if ready < 0 {
          if errno == EINTR { continue }
          throw .closed
        }
        if ready == 0 {
          watch()
          continue
        }
      }
      waitForOutput = true
      let got = read(output, scratch.baseAddress, scratch.count)
      if got > 0 { pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: scratch[0..<got])) }
      if got < 0 {
        if errno == EINTR || errno == EAGAIN { continue }
        throw .closed
      }
      if got == 0 { throw .closed }
      waitForOutput = got < scratch.count
    }
    defer { pendingStart += count }
    return Array(pending[pendingStart..<pendingStart + count])
  }

  /// Kills the child (SIGKILL) and waits for it. The corresponding C functions are `kill`
  /// and `waitpid`.
  @discardableResult
  func kill() -> Ending {
    _ = Glibc.kill(pid, SIGKILL)
    return finish()
  }

  /// Closes the child's input (a worker ends at the end of its input) and waits for it: at
  /// most 5 s, then it is killed and waited for 5 s more; a child that still has not ended
  /// (stuck in an uninterruptible read of a hung file system) is left behind rather than
  /// stopping the run. The corresponding C function is `waitpid`.
  @discardableResult
  func finish() -> Ending {
    closePipes()
    guard !reaped else { return .signalled(SIGKILL) }
    reaped = true
    for attempt in 0..<2 {
      if attempt == 1 { _ = Glibc.kill(pid, SIGKILL) }
      // Polls at 0.5 ms first (a worker told to end ends within a few), then up to every 10 ms.
      var waited: UInt32 = 0
      var pause: UInt32 = 500
      while waited < 5_000_000 {
        var status: Int32 = 0
        let done = waitpid(pid, &status, WNOHANG)
        if done == pid {
          // WIFEXITED / WTERMSIG are macros: the low 7 bits are the signal, 0 when it exited.
          let signal = status & 0x7F
          return signal == 0 ? .exited((status >> 8) & 0xFF) : .signalled(signal)
        }
        if done < 0 && errno != EINTR { return .signalled(SIGKILL) }
        usleep(pause)
        waited += pause
        pause = min(pause * 2, 10_000)
      }
    }
    return .signalled(SIGKILL)
  }

  private func closePipes() {
    if input >= 0 { close(input) }
    if output >= 0 { close(output) }
    input = -1
    output = -1
  }
}
