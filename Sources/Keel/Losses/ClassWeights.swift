/// A weight for every class, or a list with one weight per class (the last axis): Keras's
/// `alpha` of `CategoricalFocalCrossentropy`, written back in the form it was given.
public typealias ClassWeights = OneOrMany<Double>

extension OneOrMany where Element == Double {
    /// A scalar, or a vector that broadcasts along the last axis.
    var tensor: Tensor {
        switch self {
        case .one(let weight): return Tensor(Float(weight))
        case .many(let weights): return Tensor(shape: [weights.count], scalars: weights.map { Float($0) })
        }
    }
}

extension HyperCheck where Value == ClassWeights {
    static var nonNegativeWeights: HyperCheck { HyperCheck("weights ≥ 0") { $0.values.allSatisfy { $0 >= 0 } } }
}
