/// Keras's loss functions (`keras.losses.mean_squared_error(y_true, y_pred)`, ...): the per-sample
/// values, unreduced and unweighted, with the function's keyword arguments. Each is the matching
/// loss class's `values`, after its input checks, so a bad input is a `KeelError` naming the
/// loss. `compile` takes one as `.function(...)`.

public func meanSquaredError(_ yTrue: Tensor, _ yPred: Tensor) throws -> Tensor {
    try MeanSquaredError().function(yTrue, yPred)
}

public func meanAbsoluteError(_ yTrue: Tensor, _ yPred: Tensor) throws -> Tensor {
    try MeanAbsoluteError().function(yTrue, yPred)
}

public func meanAbsolutePercentageError(_ yTrue: Tensor, _ yPred: Tensor) throws -> Tensor {
    try MeanAbsolutePercentageError().function(yTrue, yPred)
}

public func meanSquaredLogarithmicError(_ yTrue: Tensor, _ yPred: Tensor) throws -> Tensor {
    try MeanSquaredLogarithmicError().function(yTrue, yPred)
}

public func cosineSimilarity(_ yTrue: Tensor, _ yPred: Tensor, axis: Int = -1) throws -> Tensor {
    try CosineSimilarity(axis: axis).function(yTrue, yPred)
}

public func huber(_ yTrue: Tensor, _ yPred: Tensor, delta: Double = 1.0) throws -> Tensor {
    try Huber(delta: delta).function(yTrue, yPred)
}

public func logCosh(_ yTrue: Tensor, _ yPred: Tensor) throws -> Tensor {
    try LogCosh().function(yTrue, yPred)
}

public func hinge(_ yTrue: Tensor, _ yPred: Tensor) throws -> Tensor {
    try Hinge().function(yTrue, yPred)
}

public func squaredHinge(_ yTrue: Tensor, _ yPred: Tensor) throws -> Tensor {
    try SquaredHinge().function(yTrue, yPred)
}

public func categoricalHinge(_ yTrue: Tensor, _ yPred: Tensor) throws -> Tensor {
    try CategoricalHinge().function(yTrue, yPred)
}

public func klDivergence(_ yTrue: Tensor, _ yPred: Tensor) throws -> Tensor {
    try KLDivergence().function(yTrue, yPred)
}

public func poisson(_ yTrue: Tensor, _ yPred: Tensor) throws -> Tensor {
    try Poisson().function(yTrue, yPred)
}

public func binaryCrossentropy(_ yTrue: Tensor, _ yPred: Tensor, fromLogits: Bool = false, labelSmoothing: Double = 0,
                               axis: Int = -1) throws -> Tensor {
    try BinaryCrossentropy(fromLogits: fromLogits, labelSmoothing: labelSmoothing, axis: axis).function(yTrue, yPred)
}

public func categoricalCrossentropy(_ yTrue: Tensor, _ yPred: Tensor, fromLogits: Bool = false, labelSmoothing: Double = 0,
                                    axis: Int = -1) throws -> Tensor {
    try CategoricalCrossentropy(fromLogits: fromLogits, labelSmoothing: labelSmoothing, axis: axis).function(yTrue, yPred)
}

public func sparseCategoricalCrossentropy(_ yTrue: Tensor, _ yPred: Tensor, fromLogits: Bool = false,
                                          ignoreClass: Int? = nil) throws -> Tensor {
    try SparseCategoricalCrossentropy(fromLogits: fromLogits, ignoreClass: ignoreClass).function(yTrue, yPred)
}

public func binaryFocalCrossentropy(_ yTrue: Tensor, _ yPred: Tensor, applyClassBalancing: Bool = false, alpha: Double = 0.25,
                                    gamma: Double = 2.0, fromLogits: Bool = false, labelSmoothing: Double = 0,
                                    axis: Int = -1) throws -> Tensor {
    try BinaryFocalCrossentropy(fromLogits: fromLogits, labelSmoothing: labelSmoothing, axis: axis,
                                applyClassBalancing: applyClassBalancing, alpha: alpha, gamma: gamma).function(yTrue, yPred)
}

public func categoricalFocalCrossentropy(_ yTrue: Tensor, _ yPred: Tensor, alpha: ClassWeights = 0.25, gamma: Double = 2.0,
                                         fromLogits: Bool = false, labelSmoothing: Double = 0,
                                         axis: Int = -1) throws -> Tensor {
    try CategoricalFocalCrossentropy(fromLogits: fromLogits, labelSmoothing: labelSmoothing, axis: axis,
                                     alpha: alpha, gamma: gamma).function(yTrue, yPred)
}

public func ctc(_ yTrue: Tensor, _ yPred: Tensor) throws -> Tensor {
    try CTC().function(yTrue, yPred)
}

public func dice(_ yTrue: Tensor, _ yPred: Tensor, axis: Axes? = nil) throws -> Tensor {
    try Dice(axis: axis).function(yTrue, yPred)
}

public func tversky(_ yTrue: Tensor, _ yPred: Tensor, alpha: Double = 0.5, beta: Double = 0.5, axis: Axes? = nil) throws -> Tensor {
    try Tversky(alpha: alpha, beta: beta, axis: axis).function(yTrue, yPred)
}

/// Keras's `circle` with its own batch as the reference set (`ref_labels`/`ref_embeddings` None).
public func circle(_ yTrue: Tensor, _ yPred: Tensor, removeDiagonal: Bool = true, gamma: Double = 80,
                   margin: Double = 0.4) throws -> Tensor {
    try Circle(gamma: gamma, margin: margin, removeDiagonal: removeDiagonal).function(yTrue, yPred)
}

public func categoricalGeneralizedCrossEntropy(_ yTrue: Tensor, _ yPred: Tensor, q: Double) throws -> Tensor {
    try CategoricalGeneralizedCrossEntropy(q: q).function(yTrue, yPred)
}

/// The seed project's focal loss per sample (summed over the last axis).
public func focalLoss(_ yTrue: Tensor, _ yPred: Tensor, alpha: Double = 0.75, gamma: Double = 2.0) throws -> Tensor {
    try FocalLoss(alpha: alpha, gamma: gamma).function(yTrue, yPred)
}

extension Loss {
    /// The function form: the hyper-parameters checked, then the inputs, then the per-sample values.
    func function(_ yTrue: Tensor, _ yPred: Tensor) throws -> Tensor {
        try check()
        try checkInputs(yTrue: yTrue, yPred: yPred)
        return values(yTrue: yTrue, yPred: yPred)
    }
}

/// A loss given to `compile` as a function of (y_true, y_pred) returning per-sample values, as
/// Keras wraps one in `LossFunctionWrapper`: y_true and y_pred are brought to one rank first, and
/// the base applies sample weights and the reduction. `functionName` is how a saved model names it.
final class FunctionLoss: Loss {
    override class var kerasClassName: String { "LossFunctionWrapper" }
    let body: TargetFunction

    init(name: String, _ body: @escaping TargetFunction) {
        self.body = body
        super.init(name: name)
    }

    required init(config: JSONObject) throws {
        throw KeelError("LossFunctionWrapper config", expected: "a loss function given in Swift", found: "a config")
    }

    override func values(yTrue: Tensor, yPred: Tensor) -> Tensor {
        let (t, p) = squeezeOrExpandToSameRank(yTrue, yPred)
        do { return try body(t, p) } catch { OpCheck.fail("\(error)") }
    }
}
