/// What the built-in cells share: checking an input against the kernel they build, and the
/// generator their dropout masks come from.
extension RNNCell {
    /// Checks the step input (batch, features) against a kernel of `gates` × units columns and a
    /// recurrent kernel, and returns the output shape.
    func checkedStepShape(_ inputShapes: [[Int?]], units: Int, gates: Int, builtKernel: Variable?,
                          constraints: [(Constraint?, [Int], String)]) throws -> [Int?] {
        let shape = try singleInput(inputShapes, rank: 2...2)
        let features = try knownDimension(inputShapes, axis: 1, what: "feature (last)")
        try checkBuiltDimension(features, builtFor: builtKernel?.shape[0], what: "a last dimension of", shapes: inputShapes)
        try checkWeightFits([features, gates * units], weight: "kernel", shapes: inputShapes)
        try checkWeightFits([units, gates * units], weight: "recurrent kernel", shapes: inputShapes)
        for (constraint, weightShape, weight) in constraints {
            let resolved = weightShape.map { $0 < 0 ? features : $0 }
            try checkConstraintFits(constraint, weightShape: resolved, weight: weight, shapes: inputShapes)
        }
        return [shape[0], units]
    }
}

/// The generator a cell draws its masks from: its own when it has a seed, else Keel's.
func dropoutGenerator(seed: Int?) -> RandomGenerator? {
    seed.map { RandomGenerator(seed: UInt64(bitPattern: Int64($0))) }
}

/// LSTM's bias with `unit_forget_bias`: the bias initializer's values, except ones for the forget
/// gate (Keras's `[init(units), ones(units), init(2 * units)]`). Never serialized: the cell writes
/// its own `bias_initializer`.
final class UnitForgetBiasInitializer: Initializer {
    var base: Initializer = Zeros()
    var units = 0

    override func callAsFunction(_ shape: [Int]) -> Tensor {
        Tensor.concatenate([base([units]), Tensor.ones([units]), base([2 * units])], axis: 0)
    }
}
