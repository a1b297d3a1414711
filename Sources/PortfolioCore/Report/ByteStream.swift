import Foundation

/// An `OutputStream` into a byte array for CSV.swift's writer, which hands over one byte per
/// call: Foundation's memory stream grows an `NSData` on every call (most of the time of a
/// school's rejections.csv); this appends to a Swift array.
final class ByteStream: OutputStream {
  private(set) var bytes: [UInt8] = []
  private var status: Stream.Status = .notOpen

  init(capacity: Int) {
    bytes.reserveCapacity(capacity)
    super.init(toMemory: ())
  }

  required init(toMemory: ()) { super.init(toMemory: ()) }

  override func open() { status = .open }
  override func close() { status = .closed }
  override var streamStatus: Stream.Status { status }
  override var hasSpaceAvailable: Bool { true }

  override func write(_ buffer: UnsafePointer<UInt8>, maxLength length: Int) -> Int {
    bytes.append(contentsOf: UnsafeBufferPointer(start: buffer, count: length))
    return length
  }
}
