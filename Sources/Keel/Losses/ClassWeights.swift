/// A weight for every class, or a list with one weight per class (the last axis): Keras's
/// `alpha` of `CategoricalFocalCrossentropy`, written back in the form it was given.
public enum ClassWeights: ConfigRepresentable, Equatable, ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral,
                          ExpressibleByArrayLiteral {
    case shared(Double)
    case perClass([Double])

    public init(floatLiteral value: Double) { self = .shared(value) }
    public init(integerLiteral value: Int) { self = .shared(Double(value)) }
    public init(arrayLiteral elements: Double...) { self = .perClass(elements) }

    public init(configValue: JSONValue) throws {
        if let single = configValue.doubleValue { self = .shared(single); return }
        guard let items = configValue.arrayValue else { throw ConfigMismatch("a number or a list of numbers") }
        self = .perClass(try items.map { item in
            guard let weight = item.doubleValue else { throw ConfigMismatch("a number or a list of numbers") }
            return weight
        })
    }

    public var configValue: JSONValue {
        switch self {
        case .shared(let weight): return .double(weight)
        case .perClass(let weights): return .array(weights.map { .double($0) })
        }
    }

    public var weights: [Double] {
        switch self {
        case .shared(let weight): return [weight]
        case .perClass(let weights): return weights
        }
    }

    /// A scalar, or a vector that broadcasts along the last axis.
    var tensor: Tensor {
        switch self {
        case .shared(let weight): return Tensor(Float(weight))
        case .perClass(let weights): return Tensor(shape: [weights.count], scalars: weights.map { Float($0) })
        }
    }
}

extension HyperCheck where Value == ClassWeights {
    static var nonNegativeWeights: HyperCheck { HyperCheck("weights ≥ 0") { $0.weights.allSatisfy { $0 >= 0 } } }
}
