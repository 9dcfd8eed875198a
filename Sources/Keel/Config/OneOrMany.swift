/// One value or a list of them, as Keras takes `axis=-1` or `axis=(1, 2)`, `alpha=0.25` or one
/// weight per class, `thresholds=0.5` or a list; written back in the form it was given.
public enum OneOrMany<Element: ConfigRepresentable & Equatable>: ConfigRepresentable, Equatable, ExpressibleByArrayLiteral {
    case one(Element)
    case many([Element])

    public init(arrayLiteral elements: Element...) { self = .many(elements) }

    public var values: [Element] {
        switch self {
        case .one(let value): return [value]
        case .many(let values): return values
        }
    }

    public init(configValue: JSONValue) throws {
        do {
            if let items = configValue.arrayValue {
                self = .many(try items.map { try Element(configValue: $0) })
            } else {
                self = .one(try Element(configValue: configValue))
            }
        } catch let mismatch as ConfigMismatch {
            throw ConfigMismatch("\(mismatch.expected), or a list of them")
        }
    }

    public var configValue: JSONValue {
        switch self {
        case .one(let value): return value.configValue
        case .many(let values): return .array(values.map(\.configValue))
        }
    }
}

extension OneOrMany: ExpressibleByIntegerLiteral where Element == Int {
    public init(integerLiteral value: Int) { self = .one(value) }
}

extension OneOrMany: ExpressibleByFloatLiteral where Element == Double {
    public init(floatLiteral value: Double) { self = .one(value) }
}

extension OneOrMany: Sendable where Element: Sendable {}

/// Softmax's `axis`.
public typealias Axes = OneOrMany<Int>
