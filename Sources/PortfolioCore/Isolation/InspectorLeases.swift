import Synchronization

/// Inspection slots kept between the parts of one run (`PartedValidation`): a part's pool
/// threads take a slot — its worker process already running — and give it back when the part
/// is done, so that each part does not start and end workers of its own. The workers end when
/// the leases are dropped.
final class InspectorLeases: Sendable {
  private struct Slot: @unchecked Sendable {
    // Owned by the store while free, by one pool thread while taken: never used by two threads.
    let inspector: IsolatedInspector
  }

  private let free = Mutex<[Slot]>([])

  /// A free slot, or a new one from `make`.
  func take(_ make: () -> IsolatedInspector) -> IsolatedInspector {
    free.withLock { $0.popLast()?.inspector } ?? make()
  }

  /// Gives a slot back for the next part.
  func give(_ inspector: IsolatedInspector) {
    free.withLock { $0.append(Slot(inspector: inspector)) }
  }
}
