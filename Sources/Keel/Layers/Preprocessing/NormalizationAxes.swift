/// Normalization's `axis`: the axes kept (one statistic per position along them). Keras takes
/// an int, a list or null (no axis: one scalar statistic) and writes the tuple as a list.
public struct NormalizationAxes: ConfigRepresentable, Equatable, ExpressibleByArrayLiteral, Sendable {
    public var values: [Int]

    public init(_ values: [Int]) { self.values = values }
    public init(arrayLiteral elements: Int...) { values = elements }

    public init(configValue: JSONValue) throws {
        if configValue.isNull { values = []; return }
        if let single = configValue.intValue { values = [single]; return }
        guard let items = configValue.arrayValue else { throw ConfigMismatch("an integer, a list of integers or null") }
        values = try items.map { item in
            guard let axis = item.intValue else { throw ConfigMismatch("an integer, a list of integers or null") }
            return axis
        }
    }

    public var configValue: JSONValue { .from(values) }
}
