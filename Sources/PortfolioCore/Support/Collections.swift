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

/// Values numbered in the order first seen: each kept once, known by its number.
struct Numbered<Value: Hashable & Sendable>: Sendable {
  private(set) var values: [Value] = []
  private var numbers: [Value: Int] = [:]

  mutating func number(_ value: Value) -> Int {
    if let known = numbers[value] { return known }
    numbers[value] = values.count
    values.append(value)
    return values.count - 1
  }
}

extension Array {
  /// The element at `index`, or `nil` when there is none.
  func at(_ index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
