#if canImport(Glibc)
  import Glibc
#endif

/// glibc's allocator keeps what a stage freed (and one arena per thread that allocated), so a
/// run's resident memory would only ever grow: two arenas, and what a stage freed handed back
/// to the system between stages. `mallopt` and `malloc_trim` are glibc's (`malloc.h`, which
/// Swift's Glibc module does not export): looked up once by name; elsewhere nothing happens.
public enum HeapTrim {
  typealias MalloptFunction = @convention(c) (Int32, Int32) -> Int32
  typealias TrimFunction = @convention(c) (Int) -> Int32

  /// glibc's `M_ARENA_MAX`, `M_MMAP_THRESHOLD` and `M_TRIM_THRESHOLD`.
  static let arenaMax: Int32 = -8
  static let mmapThreshold: Int32 = -3
  static let trimThreshold: Int32 = -1

  static let mallopt: MalloptFunction? = function("mallopt")
  static let trim: TrimFunction? = function("malloc_trim")

  static func function<T>(_ name: String) -> T? {
    #if canImport(Glibc)
      guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else { return nil }
      return unsafeBitCast(symbol, to: T.self)
    #else
      return nil
    #endif
  }

  /// Two malloc arenas for the process, not glibc's eight per core: per-thread arenas multiplied
  /// the memory freed but kept (a 4,800-student nightly run peaked 25 MB higher); one arena
  /// made the scanner's threads wait for each other (its stage 30 % slower), two do not.
  /// Blocks of 256 KiB and more (a school's arrays, the output buffers) are mapped on their
  /// own and unmapped when freed: glibc otherwise raises that threshold to 32 MiB after the
  /// first such free, and a freed array stays in the heap (4,800 students: 3–4 MB less).
  /// Call before any thread starts.
  public static func limitArenas() {
    _ = mallopt?(arenaMax, 2)
    _ = mallopt?(mmapThreshold, 256 * 1024)
    _ = mallopt?(trimThreshold, 256 * 1024)
  }

  /// Returns the free memory inside and at the top of the heap to the system.
  public static func release() { _ = trim?(0) }
}
