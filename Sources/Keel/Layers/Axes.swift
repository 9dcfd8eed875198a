/// One axis or several, as Keras takes `axis=-1` or `axis=(1, 2)`; written back in the form
/// it was given.
public enum Axes: ConfigRepresentable, Equatable, ExpressibleByIntegerLiteral, ExpressibleByArrayLiteral, Sendable {
    case one(Int)
    case several([Int])

    public init(integerLiteral axis: Int) { self = .one(axis) }
    public init(arrayLiteral axes: Int...) { self = .several(axes) }

    public var axes: [Int] {
        switch self {
        case .one(let axis): return [axis]
        case .several(let axes): return axes
        }
    }

    public init(configValue: JSONValue) throws {
        if let axis = configValue.intValue { self = .one(axis); return }
        guard let items = configValue.arrayValue else { throw ConfigMismatch("an integer or a list of integers") }
        self = .several(try items.map { item in
            guard let axis = item.intValue else { throw ConfigMismatch("an integer or a list of integers") }
            return axis
        })
    }

    public var configValue: JSONValue {
        switch self {
        case .one(let axis): return .int(axis)
        case .several(let axes): return .from(axes)
        }
    }
}
