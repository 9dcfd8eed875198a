/// Keras's `GroupNormalization`: splits the channels of `axis` into `groups` groups of equal
/// size and normalizes each example's group by its mean and biased variance over the group's
/// channels and every other non-batch axis; gamma and beta (one per channel) scale and shift.
/// `groups` −1 is one group per channel (instance normalization); building writes the channel
/// count in its place, as Keras does.
@Component(.layer)
open class GroupNormalization: Layer {
    open override class var kerasClassName: String { "GroupNormalization" }

    @Hyper("groups", HyperCheck("a positive integer, or -1 for one group per channel") { $0 > 0 || $0 == -1 })
    public var groups = 32
    @Hyper("axis") public var axis = -1
    @Hyper("epsilon") public var epsilon = 1e-3
    @Hyper("center") public var center = true
    @Hyper("scale") public var scale = true
    @Hyper("beta_initializer") public var betaInitializer: Initializer = Zeros()
    @Hyper("gamma_initializer") public var gammaInitializer: Initializer = Ones()
    @Hyper("beta_regularizer") public var betaRegularizer: Regularizer? = nil
    @Hyper("gamma_regularizer") public var gammaRegularizer: Regularizer? = nil
    @Hyper("beta_constraint") public var betaConstraint: Constraint? = nil
    @Hyper("gamma_constraint") public var gammaConstraint: Constraint? = nil
    public private(set) var gamma: Variable?
    public private(set) var beta: Variable?

    open override var supportsMasking: Bool { true }

    open override func outputShape(for inputShapes: [[Int?]]) throws -> [Int?] {
        let shape = try singleInput(inputShapes, rank: 2...8)
        let channelAxis = try checkedAxis(axis, rank: shape.count, shapes: inputShapes)
        guard channelAxis != 0 else { throw invalidInput(expected: "an axis other than the batch axis", found: inputShapes) }
        let channels = try knownDimension(inputShapes, axis: channelAxis, what: "channel")
        try checkBuiltDimension(channels, builtFor: gamma?.shape[0] ?? beta?.shape[0], what: "channels", shapes: inputShapes)
        let groupCount = groups == -1 ? channels : groups
        guard groupCount <= channels, channels % groupCount == 0 else {
            throw invalidInput(expected: "a channel count that is a multiple of groups (\(groups))", found: inputShapes)
        }
        try checkWeightFits([channels], weight: "gamma", shapes: inputShapes)
        try checkConstraintFits(scale ? gammaConstraint : nil, weightShape: [channels], weight: "gamma", shapes: inputShapes)
        try checkConstraintFits(center ? betaConstraint : nil, weightShape: [channels], weight: "beta", shapes: inputShapes)
        return shape
    }

    open override func build(inputShape: [Int]) {
        let channels = inputShape[channelAxis(rank: inputShape.count)]
        if groups == -1 { groups = channels }
        if scale {
            gamma = addWeight(name: "gamma", shape: [channels], initializer: gammaInitializer, regularizer: gammaRegularizer,
                              constraint: gammaConstraint)
        }
        if center {
            beta = addWeight(name: "beta", shape: [channels], initializer: betaInitializer, regularizer: betaRegularizer,
                             constraint: betaConstraint)
        }
    }

    private func channelAxis(rank: Int) -> Int {
        ShapeMath.normalizedAxis(axis, rank: rank, op: "GroupNormalization '\(name)'")
    }

    open override func call(_ input: Tensor, training: Bool) -> Tensor {
        let rank = input.rank
        let c = channelAxis(rank: rank)
        let channels = input.shape[c]
        // The channel axis split into (groups, channels per group); statistics over everything
        // but the batch and the group.
        var grouped = input.shape
        grouped.replaceSubrange(c...c, with: [groups, channels / groups])
        let x = input.reshaped(grouped)
        let reduced = (1...rank).filter { $0 != c }
        var parameterShape = [Int](repeating: 1, count: rank + 1)
        parameterShape[c] = groups
        parameterShape[c + 1] = channels / groups
        let mean = x.mean(axes: reduced, keepDims: true)
        let variance = x.variance(axes: reduced, keepDims: true)
        var inverse = (variance + Float(epsilon)).rsqrt()
        if let gamma { inverse = inverse * gamma.value.reshaped(parameterShape) }
        var shift = -(mean * inverse)
        if let beta { shift = shift + beta.value.reshaped(parameterShape) }
        return (x * inverse + shift).reshaped(input.shape)
    }
}
