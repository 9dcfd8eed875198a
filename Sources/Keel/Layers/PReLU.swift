/// Keras's `PReLU`: x where x > 0, else alpha·x, with `alpha` a learned weight of the input's
/// shape without the batch axis, of size 1 on `shared_axes` (one slope shared along them).
@Component(.layer)
open class PReLU: Layer {
    open override class var kerasClassName: String { "PReLU" }
    /// Keras's `supports_masking`: the input's mask passes through.
    open override var supportsMasking: Bool { true }

    @Hyper("alpha_initializer") public var alphaInitializer: Initializer = Zeros()
    @Hyper("alpha_regularizer") public var alphaRegularizer: Regularizer? = nil
    @Hyper("alpha_constraint") public var alphaConstraint: Constraint? = nil
    /// Axes (1 = first after the batch) along which one slope is shared; Keras takes one axis
    /// or a list and writes a list.
    @Hyper("shared_axes") public var sharedAxes: Axes? = nil
    /// The input's shape without the batch axis, 1 on the shared axes; created by `build`.
    public private(set) var alpha: Variable!

    open override func didConfigure() {
        if case .one(let axis)? = sharedAxes { sharedAxes = .many([axis]) }
    }

    /// The shape `alpha` has for an input of this shape (batch axis first).
    private func alphaShape(for shape: [Int?], shapes: [[Int?]]) throws -> [Int] {
        let shared = sharedAxes?.values ?? []
        for axis in shared where axis < 1 || axis >= shape.count {
            throw invalidInput(expected: "shared_axes \(shared) within the input's axes 1 to \(shape.count - 1)",
                               found: shapes)
        }
        return try (1..<shape.count).map { axis in
            if shared.contains(axis) { return 1 }
            return try knownDimension(shapes, axis: axis, what: "unshared")
        }
    }

    open override func outputShape(for inputShapes: [[Int?]]) throws -> [Int?] {
        let shape = try singleInput(inputShapes, rank: 2...8)
        let weightShape = try alphaShape(for: shape, shapes: inputShapes)
        if let alpha, alpha.shape != weightShape {
            throw invalidInput(expected: "an input that fits alpha \(describeShape(alpha.shape)), as the layer was built for",
                               found: inputShapes)
        }
        try checkWeightFits(weightShape, weight: "alpha", shapes: inputShapes)
        try checkConstraintFits(alphaConstraint, weightShape: weightShape, weight: "alpha", shapes: inputShapes)
        return shape
    }

    open override func build(inputShape: [Int]) {
        let shared = sharedAxes?.values ?? []
        let shape = (1..<inputShape.count).map { shared.contains($0) ? 1 : inputShape[$0] }
        alpha = addWeight(name: "alpha", shape: shape, initializer: alphaInitializer, regularizer: alphaRegularizer,
                          constraint: alphaConstraint)
    }

    open override func call(_ input: Tensor, training: Bool) -> Tensor {
        input.relu() - alpha.value * (-input).relu()
    }
}
