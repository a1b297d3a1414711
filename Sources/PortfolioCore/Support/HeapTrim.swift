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

  /// glibc's `M_ARENA_MAX`.
  static let arenaMax: Int32 = -8

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
  /// Call before any thread starts.
  public static func limitArenas() { _ = mallopt?(arenaMax, 2) }

  /// Returns the free memory inside and at the top of the heap to the system.
  public static func release() { _ = trim?(0) }
}
