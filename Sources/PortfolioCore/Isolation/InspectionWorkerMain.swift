import Digest
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The worker side of process isolation (`portfolio inspection-worker`, started by the
/// supervisor only): reads one setup and then one request at a time from standard input,
/// inspects the file with its own `FileInspector` and answers on standard output. It limits
/// itself before touching any upload: no core files, an address-space limit (`RLIMIT_AS`)
/// above what it holds at start, and a CPU-time limit (`RLIMIT_CPU`) moved forward for each
/// file. It ends at the end of its input, or after an inspection that came close to the memory
/// limit (a fresh worker takes its place).
public enum InspectionWorkerMain {
  /// Runs the worker loop; returns the process exit status.
  public static func run() -> Int32 {
    guard let setupBytes = readMessage(),
      let setup = try? JSONDecoder().decode(WorkerProtocol.Setup.self, from: Data(setupBytes))
    else { return 2 }
    var noCore = rlimit(rlim_cur: 0, rlim_max: 0)
    _ = setrlimit(__rlimit_resource_t(RLIMIT_CORE.rawValue), &noCore)
    let inspector: FileInspector
    do {
      inspector = try FileInspector(maxParsedBytes: setup.maxParsedBytes, limits: setup.parseLimits)
    } catch {
      return 3
    }
    let baseline = ProcessMemory.current(of: "self")?.size ?? 0
    let addressLimit = baseline + setup.limits.memoryBytes
    var memory = rlimit(rlim_cur: rlim_t(addressLimit), rlim_max: rlim_t(addressLimit))
    _ = setrlimit(__rlimit_resource_t(RLIMIT_AS.rawValue), &memory)
    guard send(.ready(baseline: baseline, addressLimit: addressLimit)) else { return 0 }
    // Within this much of the limit, an allocation has most likely failed.
    let margin = min(setup.limits.memoryBytes / 8, 32 * 1_048_576)
    var checker: PackageChecker?
    var lastResident = peakResidentKilobytes()
    /// The peak address space when the request just answered came within `margin` of the limit
    /// (or a parser said an allocation failed): its answer is then not trusted. /proc is read
    /// only when asked to (`always`), or when the peak resident size grew: most files leave it
    /// where it was, and reading /proc costs more than a small file.
    func exhaustedPeak(always: Bool, allocationFailed: Bool = false) -> Int64? {
      let resident = peakResidentKilobytes()
      defer { lastResident = max(lastResident, resident) }
      guard always || allocationFailed || resident > lastResident else { return nil }
      let peak = ProcessMemory.current(of: "self")?.peak ?? 0
      return allocationFailed || peak >= addressLimit - margin ? peak : nil
    }
    while let bytes = readMessage() {
      guard let request = WorkerWire.request(bytes) else { return 4 }
      if request.package {
        limitCPU(seconds: setup.limits.secondsPerPackage)
        guard let reply = checkPackage(request, checker: &checker) else { return 5 }
        if let peak = exhaustedPeak(always: true) {
          _ = send(.memoryExhausted(peak: peak))
          return 0
        }
        guard send(reply) else { return 0 }
        continue
      }
      limitCPU(seconds: setup.limits.secondsPerFile)
      let reply: WorkerProtocol.Reply
      do throws(FileSystem.OpenFailure) {
        let inspection = try inspector.inspect(
          path: request.path, withMD5: request.withMD5, scanned: request.scanned, partner: nextPartner)
        let failed = inspection.facts?.mentionsAllocationFailure == true
        if let peak = exhaustedPeak(always: false, allocationFailed: failed) {
          _ = send(.memoryExhausted(peak: peak))
          return 0
        }
        reply = .inspected(inspection)
      } catch {
        _ = peakResidentKilobytes()  // the CPU used so far, for the next file's limit
        switch error {
        case .notRegular(let kind): reply = .notRegular(kind.rawValue)
        case .system(let failure): reply = .system(call: failure.call, errno: failure.errno)
        }
      }
      guard send(reply) else { return 0 }
    }
    return 0
  }

  /// Checks one package with the worker's own checker (made on the first package: the schema is
  /// loaded only by workers that check packages); `nil` when the program's own tables cannot load.
  private static func checkPackage(_ request: WorkerProtocol.Request, checker: inout PackageChecker?)
    -> WorkerProtocol.Reply?
  {
    if checker == nil {
      guard let table = try? PolicyTable.bundled(), let schema = try? ManifestSchema.load() else { return nil }
      checker = PackageChecker(table: table, schema: schema)
    }
    guard let checker else { return nil }
    return .checked(checker.check(path: request.path, displayName: request.displayName))
  }

  /// What `getrusage` said last: after the previous answer (or at the start), which is as good
  /// as now for the next file's CPU limit — sending an answer and reading a request cost
  /// microseconds — and spares a second call per file.
  nonisolated(unsafe) private static var usage = rusage()

  /// The peak resident size of this process so far (`getrusage`), in KiB.
  private static func peakResidentKilobytes() -> Int {
    _ = getrusage(RUSAGE_SELF.rawValue, &usage)
    return usage.ru_maxrss
  }

  /// The CPU-time soft limit now in force (seconds), moved only when it comes within
  /// `seconds` of what the worker has used: at most one `setrlimit` per CPU second.
  nonisolated(unsafe) private static var cpuLimit = 0

  /// Lets this file use at least `seconds` (at most `seconds` + 1) of CPU time beyond what the
  /// worker used so far (as last measured); SIGXCPU ends the worker when it does not stop in time.
  private static func limitCPU(seconds: Int) {
    let used = Int(usage.ru_utime.tv_sec) + Int(usage.ru_stime.tv_sec) + 1
    guard cpuLimit < used + seconds || cpuLimit > used + seconds + 1 else { return }
    cpuLimit = used + seconds + 1
    var limit = rlimit(rlim_cur: rlim_t(cpuLimit), rlim_max: rlim_t.max)
    _ = setrlimit(__rlimit_resource_t(RLIMIT_CPU.rawValue), &limit)
  }

  /// The next request when it is already here, whole, and asks about an upload: it is hashed
  /// together with the current one (`FileInspector.Partner`) when this CPU can.
  private static func nextPartner() -> FileInspector.Partner? {
    guard SHA256Pair.isAvailable, let bytes = input.peek(), let next = WorkerWire.request(bytes), !next.package
    else { return nil }
    return FileInspector.Partner(path: next.path, withMD5: next.withMD5, scanned: next.scanned)
  }

  private static func readMessage() -> [UInt8]? {
    guard let header = input.take(4) else { return nil }
    let count = WorkerProtocol.length(header)
    guard count <= WorkerProtocol.maxMessageBytes else { return nil }
    return input.take(count)
  }

  /// Standard input, read 64 KiB at a time (the supervisor sends requests ahead).
  nonisolated(unsafe) private static var input = BufferedInput()

  struct BufferedInput {
    var buffer: [UInt8] = []
    var start = 0
    /// Where each `read` lands before what came is appended (allocated once, never freed: the
    /// worker reads until it ends).
    let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 65_536, alignment: 16)

    /// The next message when all of it has arrived — what the supervisor already sent is read
    /// without waiting for more —; nothing is taken.
    mutating func peek() -> [UInt8]? {
      if let message = whole() { return message }
      var ready = pollfd(fd: 0, events: Int16(POLLIN), revents: 0)
      guard poll(&ready, 1, 0) == 1, ready.revents & Int16(POLLIN) != 0,
        case .success(let got) = FileSystem.read(0, into: scratch), got > 0
      else { return nil }
      buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: scratch[0..<got]))
      return whole()
    }

    /// The next message when the buffer holds all of it.
    private func whole() -> [UInt8]? {
      guard buffer.count - start >= 4 else { return nil }
      let count = WorkerProtocol.length(Array(buffer[start..<start + 4]))
      guard count <= WorkerProtocol.maxMessageBytes, buffer.count - start - 4 >= count else { return nil }
      return Array(buffer[(start + 4)..<(start + 4 + count)])
    }

    mutating func take(_ count: Int) -> [UInt8]? {
      while buffer.count - start < count {
        if start > 0 {
          buffer.removeFirst(start)
          start = 0
        }
        guard case .success(let got) = FileSystem.read(0, into: scratch), got > 0 else { return nil }
        buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: scratch[0..<got]))
      }
      defer { start += count }
      return Array(buffer[start..<start + count])
    }
  }

  private static func send(_ reply: WorkerProtocol.Reply) -> Bool {
    let bytes = WorkerProtocol.frame(reply)
    return bytes.withUnsafeBytes { raw in
      do {
        try FileSystem.writeAll(1, raw, path: "stdout")
        return true
      } catch {
        return false
      }
    }
  }
}

extension ContentFacts {
  /// Whether a parser reported that memory ran out (libqpdf turns `std::bad_alloc` into an
  /// error message): the verdict would rest on the limit, not the file.
  var mentionsAllocationFailure: Bool {
    problems.contains { problem in
      switch problem {
      case .corrupt(let reason), .tooComplex(let reason):
        return reason.contains("bad_alloc") || reason.contains("out of memory")
      default: return false
      }
    }
  }
}

/// A process's address space (`VmSize`) and its peak (`VmPeak`), from `/proc/PID/status`.
struct ProcessMemory {
  var size: Int64
  var peak: Int64

  /// `process` is a pid or `self`.
  static func current(of process: String) -> ProcessMemory? {
    guard let text = try? String(contentsOfFile: "/proc/\(process)/status", encoding: .utf8) else { return nil }
    var size: Int64?
    var peak: Int64?
    for line in text.split(separator: "\n") {
      if line.hasPrefix("VmSize:") { size = kilobytes(line) }
      if line.hasPrefix("VmPeak:") { peak = kilobytes(line) }
    }
    guard let size, let peak else { return nil }
    return ProcessMemory(size: size, peak: peak)
  }

  private static func kilobytes(_ line: Substring) -> Int64? {
    line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.flatMap { Int64($0) }.map {
      $0 * 1024
    }
  }
}
