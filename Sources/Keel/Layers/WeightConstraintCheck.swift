extension Layer {
    /// Refuses a constraint that cannot project the weight it is given (a norm axis the weight
    /// does not have) while the model is being built, as a thrown error naming the layer, the
    /// weight and the axis; the optimizer applies constraints where nothing can throw.
    public func checkConstraintFits(_ constraint: Constraint?, weightShape: [Int], weight: String,
                                    shapes: [[Int?]]) throws {
        guard let constraint, let problem = constraint.problem(forWeightShape: weightShape) else { return }
        throw invalidInput(expected: "a \(weight) constraint that fits the \(weight) of shape \(weightShape)",
                           found: "\(type(of: constraint).kerasClassName) whose \(problem)")
    }
}
