/// Keras's `get_weights()` / `set_weights()` on layers and models: every weight's value in
/// `weights` order (for a model: layer by layer, each layer's trainable weights then its
/// non-trainable ones, as Keras's `model.weights`).
extension Layer {
    /// The current value of every weight, in `weights` order. The tensors are copies in effect:
    /// later training writes into the variables without changing them.
    public func getWeights() -> [Tensor] { weights.map(\.value) }

    /// Replaces every weight's value, in `weights` order. The list is checked whole before any
    /// weight changes: a wrong count, or a value whose shape or dtype differs from its weight's,
    /// is a KeelError naming the weight, and the layer keeps its old values.
    public func setWeights(_ values: [Tensor]) throws {
        try WeightValues.assign(values, to: weights, owner: "setWeights on \(nameForMessages)")
    }
}

enum WeightValues {
    /// Assigns `values` to `variables` pairwise after checking all of them (count, shapes, dtypes).
    static func assign(_ values: [Tensor], to variables: [Variable], owner: String) throws {
        guard values.count == variables.count else {
            let listed = variables.isEmpty ? "no weights" : variables.map(\.path).joined(separator: ", ")
            throw KeelError(owner, expected: "\(variables.count) arrays, one per weight (\(listed))",
                            found: "\(values.count) arrays")
        }
        for (index, (variable, value)) in zip(variables, values).enumerated() {
            guard variable.shape == value.shape else {
                throw KeelError("\(owner): weight \(index) '\(variable.path)'", expected: "shape \(describe(variable.shape))",
                                found: "shape \(describe(value.shape))")
            }
            guard variable.dtype == value.dtype else {
                throw KeelError("\(owner): weight \(index) '\(variable.path)'", expected: "\(variable.dtype) values",
                                found: "\(value.dtype) values")
            }
        }
        for (variable, value) in zip(variables, values) { variable.assign(value) }
    }

    /// Python's tuple notation, as Keras prints shapes: (3, 2), (4,), ().
    static func describe(_ shape: [Int]) -> String {
        shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
    }
}
