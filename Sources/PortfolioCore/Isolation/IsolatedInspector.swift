import Digest
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Why a file has no inspection.
public enum InspectionFailure: Error, Sendable, Equatable {
  /// The file could not be opened or read (not a regular file, permission, I/O).
  case open(FileSystem.OpenFailure)
  /// The isolated worker inspecting it hit a limit or ended abnormally.
  case worker(WorkerIncident)
}

/// What happened to a worker on one file: the evidence of an `inspection-failed` finding.
public struct WorkerIncident: Error, Sendable, Equatable, Codable {
  public enum Reason: String, Sendable, Codable {
    /// It needed more memory than the limit.
    case memory
    /// It ran longer than the limit (wall clock or CPU).
    case time
    /// The worker crashed (a signal) or ended without answering.
    case crash
    /// The worker answered with something that is not a reply.
    case garbage
  }

  public var reason: Reason
  /// The limit in force (bytes for memory, seconds for time), 0 when none applies.
  public var limit: Int64
  /// What was seen: peak bytes, seconds, or the signal's name.
  public var observed: String
}

extension FileSystem.OpenFailure: Equatable {
  public static func == (lhs: Self, rhs: Self) -> Bool {
    switch (lhs, rhs) {
    case (.notRegular(let a), .notRegular(let b)): a == b
    case (.system(let a), .system(let b)): a.call == b.call && a.errno == b.errno && a.path == b.path
    default: false
    }
  }
}

/// How uploads are inspected: in this process (tests, the fuzzer), or in disposable worker
/// processes started from `executable` with `inspection-worker` (the command-line tool).
public enum InspectionIsolation: Sendable, Equatable {
  case inProcess
  case workers(executable: String, limits: WorkerLimits)

  /// Worker processes of the running program (`/proc/self/exe`) with the table's limits and the
  /// environment's overrides.
  public static func workers(of table: PolicyTable) -> InspectionIsolation {
    .workers(executable: "/proc/self/exe", limits: table.workers.overridden())
  }
}

/// The supervisor's side of one worker slot: starts a worker process when it needs one, sends
/// it files ahead of its answers, waits at most the time limit for each answer and replaces the worker
/// when it crashes, hangs, runs out of memory or answers garbage. One per pool thread.
final class IsolatedInspector {
  private let executable: String
  private let setup: WorkerProtocol.Setup
  private var worker: ChildProcess?
  private var addressLimit: Int64 = 0
  /// How many workers this slot started (the first, then one per incident).
  private(set) var started = 0

  init(executable: String, maxParsedBytes: Int, parseLimits: ParseLimits, limits: WorkerLimits) {
    self.executable = executable
    self.setup = WorkerProtocol.Setup(maxParsedBytes: maxParsedBytes, parseLimits: parseLimits, limits: limits)
    // A worker that dies while we write to it must be an EPIPE here, not a signal.
    signal(SIGPIPE, SIG_IGN)
  }

  deinit { worker?.finish() }

  /// One file of a stream: its place in the caller's list, its path, whether an MD5 is wanted,
  /// and its size (to bound what is sent ahead).
  struct StreamedFile {
    let index: Int
    let path: String
    let withMD5: Bool
    let bytes: Int64
  }

  /// `SCHED_BATCH` (linux/sched.h: glibc declares it only with `_GNU_SOURCE`, not seen by Swift).
  static let schedBatch: Int32 = 3

  /// How many requests a worker is sent ahead of its answers (the pipe holds them all): enough
  /// for a few milliseconds of small files while this thread waits for the CPU.
  static let window = 32
  /// Files sent ahead beyond the one being inspected add up to at most this: small files go
  /// 16 at a time, large ones one ahead, so that at the end no worker holds a long tail.
  static let bytesAhead: Int64 = 1 << 20
  /// Files always sent ahead, whatever their size: with two, the worker holds the partner of the
  /// file after the current one too, and hashes uploads two at a time (`FileInspector.Partner`).
  static let filesAhead = SHA256Pair.isAvailable ? 2 : 1

  /// Inspects the files `next` gives (until it gives `nil`), delivering each result with its
  /// index as it arrives. The worker is always sent the next files ahead, so it never waits for
  /// this thread; each file's deadline runs from the answer before it (the worker reads them in
  /// order); the answers that arrive together are read together. When a worker fails on a file,
  /// the files sent after it go to a fresh worker. The files are the drop's scan's: each was a
  /// regular file when it was scanned (the worker's `fstat` confirms it after the open).
  func inspectStream(next: () -> StreamedFile?, deliver: (Int, Result<FileInspection, InspectionFailure>) -> Void) {
    // The worker is the one that should run: an answer waking this thread must not take the
    // CPU from it (SCHED_BATCH threads do not preempt on wake-up); answers that arrive while
    // this thread waits are read together. On 2 cores, ~10,000 context switches become ~1,200.
    let policy = sched_getscheduler(0)
    var priority = sched_param(sched_priority: 0)
    _ = sched_setscheduler(0, Self.schedBatch, &priority)
    defer { _ = sched_setscheduler(0, policy, &priority) }
    var queue: [StreamedFile] = []  // sent to `sentTo`, not answered yet, in order
    var queued: Int64 = 0
    var sentTo: ChildProcess?
    var exhausted = false
    while true {
      var ahead: [UInt8] = []  // the requests added now, sent in one write
      while !exhausted, queue.count < Self.window,
        queue.count <= Self.filesAhead || queued - (queue.first?.bytes ?? 0) < Self.bytesAhead
      {
        guard let file = next() else {
          exhausted = true
          break
        }
        queue.append(file)
        queued += file.bytes
        guard sentTo != nil else { break }  // sent below, with the rest, to a fresh worker
        ahead += WorkerProtocol.frame(WorkerProtocol.Request(path: file.path, withMD5: file.withMD5, scanned: true))
      }
      if let child = sentTo, !ahead.isEmpty { _ = child.send(ahead) }
      guard let head = queue.first else { return }
      if sentTo == nil || sentTo !== worker {
        // A fresh worker (the first, or after an incident): everything unanswered goes to it.
        do {
          let child = try running()
          _ = child.send(
            queue.flatMap {
              WorkerProtocol.frame(WorkerProtocol.Request(path: $0.path, withMD5: $0.withMD5, scanned: true))
            })
          sentTo = child
        } catch {
          queue.removeFirst()
          queued -= head.bytes
          deliver(
            head.index,
            .failure(.worker(WorkerIncident(reason: .crash, limit: 0, observed: "could not start: \(error)"))))
          continue
        }
      }
      guard let child = sentTo else { return }
      let result = inspection(from: awaitReply(child, seconds: setup.limits.secondsPerFile), path: head.path)
      queue.removeFirst()
      queued -= head.bytes
      deliver(head.index, result)
    }
  }

  private func inspection(from reply: Result<WorkerProtocol.Reply, WorkerIncident>, path: String) -> Result<
    FileInspection, InspectionFailure
  > {
    switch reply {
    case .failure(let incident): return .failure(.worker(incident))
    case .success(.inspected(let inspection)): return .success(inspection)
    case .success(.notRegular(let text)): return .failure(.open(.notRegular(EntryKind(rawValue: text) ?? .unknown)))
    case .success(.system(let call, let code)):
      return .failure(.open(.system(SystemError(call: call, path: path, errno: code))))
    case .success: return .failure(.worker(unexpectedReply()))
    }
  }

  /// Checks the untrusted package at `path` in a worker, as `check` does in-process.
  func checkPackage(path: String, displayName: String) -> Result<PackageCheck, WorkerIncident> {
    let request = WorkerProtocol.Request(path: path, package: true, displayName: displayName)
    switch exchange(request, seconds: setup.limits.secondsPerPackage) {
    case .failure(let incident): return .failure(incident)
    case .success(.checked(let check)): return .success(check)
    case .success: return .failure(unexpectedReply())
    }
  }

  /// A reply of the wrong kind: the worker is not trusted any more.
  private func unexpectedReply() -> WorkerIncident {
    if let worker { retire(worker, kill: true) }
    return WorkerIncident(reason: .garbage, limit: 0, observed: "a reply of the wrong kind")
  }

  /// Sends one request and waits at most `seconds` for its reply; every way the worker can
  /// fail becomes an incident, and a worker that failed is replaced on the next request.
  private func exchange(_ request: WorkerProtocol.Request, seconds: Int) -> Result<WorkerProtocol.Reply, WorkerIncident>
  {
    let child: ChildProcess
    do {
      child = try running()
    } catch {
      return .failure(WorkerIncident(reason: .crash, limit: 0, observed: "could not start: \(error)"))
    }
    guard child.send(WorkerProtocol.frame(request)) else {
      return .failure(incident(ending: retire(child, kill: false), observedPeak: 0, seconds: seconds))
    }
    return awaitReply(child, seconds: seconds)
  }

  /// Waits at most `seconds` from now for the worker's next reply.
  private func awaitReply(_ child: ChildProcess, seconds: Int) -> Result<WorkerProtocol.Reply, WorkerIncident> {
    let start = DispatchTime.now().uptimeNanoseconds
    let deadline = start + UInt64(seconds) * 1_000_000_000
    var observedPeak: Int64 = 0
    let reply: WorkerProtocol.Reply
    do {
      reply = try receive(from: child, deadline: deadline) {
        if let size = ProcessMemory.current(of: String(child.pid))?.size { observedPeak = max(observedPeak, size) }
      }
    } catch ChildProcess.ReadStop.deadline {
      retire(child, kill: true)
      let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
      return .failure(WorkerIncident(reason: .time, limit: Int64(seconds), observed: String(format: "%.1f s", elapsed)))
    } catch ChildProcess.ReadStop.closed {
      let ending = retire(child, kill: false)
      return .failure(incident(ending: ending, observedPeak: observedPeak, seconds: seconds))
    } catch {
      retire(child, kill: true)
      return .failure(WorkerIncident(reason: .garbage, limit: 0, observed: "an unreadable reply"))
    }
    switch reply {
    case .memoryExhausted(let peak):
      retire(child, kill: false)
      return .failure(memoryIncident(peak: peak))
    case .ready:
      retire(child, kill: true)
      return .failure(WorkerIncident(reason: .garbage, limit: 0, observed: "a second ready message"))
    default: return .success(reply)
    }
  }

  /// The worker in this slot, started (and set up) if there is none: a spare started ahead
  /// with the same setup when there is one.
  private func running() throws -> ChildProcess {
    if let worker { return worker }
    // A spare that did not come up (it was killed while it waited) is replaced by a fresh one.
    if let spare = WorkerSpares.take(executable: executable, setup: setup), let limit = ready(spare) {
      return adopt(spare, addressLimit: limit)
    }
    let child = try Self.start(executable, setup)
    guard let limit = ready(child) else {
      throw SystemError(call: "inspection-worker", path: executable, errno: EPROTO)
    }
    return adopt(child, addressLimit: limit)
  }

  /// Waits for a started worker's `ready` (its address-space limit); kills it when it does not
  /// come. Starting is not a file's time: a generous fixed deadline.
  private func ready(_ child: ChildProcess) -> Int64? {
    let deadline = DispatchTime.now().uptimeNanoseconds + 30_000_000_000
    guard case .ready(_, let limit) = try? receive(from: child, deadline: deadline, watch: {}) else {
      child.kill()
      return nil
    }
    return limit
  }

  private func adopt(_ child: ChildProcess, addressLimit limit: Int64) -> ChildProcess {
    started += 1
    addressLimit = limit
    worker = child
    return child
  }

  /// What a worker's environment adds to this process's: no backtrace on a crash (it takes
  /// seconds and writes to stderr), and a larger glibc cache of freed small blocks per thread
  /// (`tcache_count`, 7 by default): libmagic allocates and frees hundreds of small blocks for
  /// every file, and with 7 a size most of them go back to the arenas, which then consolidate.
  /// A tunable set in this process's environment is kept as it is.
  static func workerEnvironment(inheriting parent: [String: String]) -> [String: String] {
    var tunables = parent["GLIBC_TUNABLES"] ?? ""
    if !tunables.contains("glibc.malloc.tcache_count=") {
      tunables += (tunables.isEmpty ? "" : ":") + "glibc.malloc.tcache_count=\(workerCacheCount)"
    }
    return ["SWIFT_BACKTRACE": "enable=no", "GLIBC_TUNABLES": tunables]
  }

  /// Blocks of each small size a worker's thread keeps for reuse (glibc caps it at 65,535).
  static let workerCacheCount = 1_000

  /// Starts a worker and sends it its setup; its `ready` is read by `running()`.
  static func start(_ executable: String, _ setup: WorkerProtocol.Setup) throws -> ChildProcess {
    let child = try ChildProcess(
      executable: executable, arguments: ["inspection-worker"],
      environment: workerEnvironment(inheriting: ProcessInfo.processInfo.environment))
    guard child.send(WorkerProtocol.frame(setup)) else {
      child.kill()
      throw SystemError(call: "write", path: executable, errno: EPIPE)
    }
    return child
  }

  private func receive(from child: ChildProcess, deadline: UInt64, watch: () -> Void) throws -> WorkerProtocol.Reply {
    let header = try child.receive(4, deadline: deadline, watch: watch)
    let count = WorkerProtocol.length(header)
    guard count <= WorkerProtocol.maxMessageBytes else { throw WorkerProtocolError.tooLong(count) }
    let body = try child.receive(count, deadline: deadline, watch: watch)
    guard let reply = WorkerWire.reply(body) else { throw WorkerProtocolError.malformed }
    return reply
  }

  @discardableResult
  private func retire(_ child: ChildProcess, kill: Bool) -> ChildProcess.Ending {
    worker = nil
    return kill ? child.kill() : child.finish()
  }

  private func incident(ending: ChildProcess.Ending, observedPeak: Int64, seconds: Int) -> WorkerIncident {
    switch ending {
    case .signalled(SIGXCPU):
      WorkerIncident(reason: .time, limit: Int64(seconds), observed: "CPU time limit (\(Self.name(SIGXCPU)))")
    case .signalled(let signal):
      observedPeak >= addressLimit * 3 / 4
        ? memoryIncident(peak: observedPeak)
        : WorkerIncident(reason: .crash, limit: 0, observed: Self.name(signal))
    case .exited(let status):
      WorkerIncident(reason: .crash, limit: 0, observed: "exit status \(status) without an answer")
    }
  }

  private func memoryIncident(peak: Int64) -> WorkerIncident {
    WorkerIncident(reason: .memory, limit: setup.limits.memoryBytes, observed: "\(peak) bytes of address space")
  }

  static func name(_ signal: Int32) -> String {
    switch signal {
    case SIGSEGV: "SIGSEGV"
    case SIGABRT: "SIGABRT"
    case SIGBUS: "SIGBUS"
    case SIGILL: "SIGILL"
    case SIGTRAP: "SIGTRAP"
    case SIGFPE: "SIGFPE"
    case SIGKILL: "SIGKILL"
    case SIGXCPU: "SIGXCPU"
    default: "signal \(signal)"
    }
  }
}

enum WorkerProtocolError: Error {
  case tooLong(Int)
  case malformed
}
