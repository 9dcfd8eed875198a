/// The `logs` dictionary Keras passes to callbacks: metric name → value. A reference type, as
/// Keras's dict is: a callback that adds `learning_rate` in `onEpochEnd` is seen by the ones after
/// it. Keys iterate in sorted order, as Keras sorts them before handing them out.
public final class Logs: Sequence, CustomStringConvertible {
    private var values: [String: Double]

    public init(_ values: [String: Double] = [:]) { self.values = values }

    public subscript(key: String) -> Double? {
        get { values[key] }
        set { values[key] = newValue }
    }

    public var keys: [String] { values.keys.sorted() }
    public var isEmpty: Bool { values.isEmpty }
    public var dictionary: [String: Double] { values }

    public func makeIterator() -> IndexingIterator<[(key: String, value: Double)]> {
        keys.map { (key: $0, value: values[$0]!) }.makeIterator()
    }

    public func copy() -> Logs { Logs(values) }

    /// Adds every entry of `other` with `prefix` before its key (validation logs get "val_").
    public func merge(_ other: Logs, prefix: String = "") {
        for (key, value) in other.values { values[prefix + key] = value }
    }

    public var description: String {
        "{" + keys.map { "\($0): \(values[$0]!)" }.joined(separator: ", ") + "}"
    }
}
