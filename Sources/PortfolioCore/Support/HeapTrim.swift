#if canImport(Glibc)
  import Glibc
#endif

/// glibc's allocator keeps what a stage freed (and one arena per thread that allocated), so a
/// run's resident memory would only ever grow: one arena, and what a stage freed handed back
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

  /// One malloc arena for the process (per-thread arenas multiplied the memory freed but kept:
  /// 291 MB instead of 313 MB at the peak of a 4,800-student nightly run, no slower). Call before
  /// any thread starts.
  public static func useOneArena() { _ = mallopt?(arenaMax, 1) }

  /// Returns the free memory inside and at the top of the heap to the system.
  public static func release() { _ = trim?(0) }
}
