/// Equal values kept once: a value equal to one seen before comes back as that one (sharing its
/// storage).
struct Interned<Value: Hashable & Sendable>: Sendable {
  private var seen: Set<Value> = []

  mutating func intern(_ value: Value) -> Value {
    if let earlier = seen.firstIndex(of: value) { return seen[earlier] }
    seen.insert(value)
    return value
  }
}

extension Array {
  /// The element at `index`, or `nil` when there is none.
  func at(_ index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
