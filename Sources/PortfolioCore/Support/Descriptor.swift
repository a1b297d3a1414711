import SystemPackage

/// Reads and writes on raw descriptors through swift-system's `FileDescriptor`, which retries
/// `EINTR` itself (`retryOnInterrupt`), turning its `Errno` into our `SystemError`.
extension FileSystem {
  /// Reads at most `buffer.count` bytes; 0 at the end of the file. The corresponding C
  /// function is `read`.
  public static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, path: String = "")
    -> Result<Int, SystemError>
  {
    do {
      return .success(try FileDescriptor(rawValue: fd).read(into: buffer, retryOnInterrupt: true))
    } catch let error as Errno {
      return .failure(SystemError(call: "read", path: path, errno: error.rawValue))
    } catch {
      return .failure(SystemError(call: "read", path: path, errno: 5))  // EIO: swift-system throws only Errno
    }
  }

  /// Writes all of `bytes` (short writes continued). The corresponding C function is `write`.
  public static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws(SystemError) {
    do {
      _ = try FileDescriptor(rawValue: fd).writeAll(bytes)
    } catch let error as Errno {
      throw SystemError(call: "write", path: path, errno: error.rawValue)
    } catch {
      throw SystemError(call: "write", path: path, errno: 5)  // EIO: swift-system throws only Errno
    }
  }
}
