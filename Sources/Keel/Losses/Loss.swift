/// The base of every loss. A subclass declares its hyper-parameters with `@Hyper` and computes
/// per-sample values (`values(yTrue:yPred:)`, shape = the batch dimensions); the base applies
/// masks, sample weights and the reduction exactly as Keras's `Loss.__call__` does (keras-spec
/// §7.1). Everything is built from differentiable tensor ops, so a loss can be differentiated with
/// a GradientTape.
open class Loss: ConfigConstructible {
    /// The Swift class name unless a subclass says otherwise, as Keras uses the Python class name.
    open class var kerasClassName: String { String(describing: self) }
    /// The name a loss gets when none is given: Keras's default `name` argument of the class
    /// ("huber_loss" for Huber), the snake_case class name unless the class says otherwise.
    open class var defaultName: String { Naming.snakeCase(kerasClassName) }
    /// False for a loss whose original `get_config` holds only its own fields (the seed project's
    /// FocalLoss is no Keras `Loss`): its configs then neither take nor give `name` and `reduction`.
    open class var configHasNameAndReduction: Bool { true }

    public var name: String
    public var reduction: Reduction
    /// Keras keeps `reduction=None` apart from `"none"`: both reduce nothing, but `get_config`
    /// gives back what was passed, so a config read from a file is written back unchanged.
    public var reductionIsNull = false

    /// `name: nil` is the class's `defaultName`. The class's own hyper-parameters keep their
    /// declared defaults; `@Component` gives each class an initialiser that takes them too.
    public init(reduction: Reduction = .sumOverBatchSize, name: String? = nil) {
        self.reduction = reduction
        self.name = name ?? Self.defaultName
    }

    /// Builds the loss from a Keras config (or constructor kwargs): `name` and `reduction` are read
    /// here, `dtype` is accepted and ignored (Keel computes losses in float32), the class's own
    /// fields come from its `@Hyper` declarations; any other key is an error naming it.
    public required init(config: JSONObject) throws {
        let owner = "\(Self.kerasClassName) config"
        var commonKeys: [String] = []
        if Self.configHasNameAndReduction {
            name = try ConfigReader(config, owner: owner).optionalString("name") ?? Self.defaultName
            reduction = try Reduction(config: config["reduction"], owner: owner)
            reductionIsNull = config["reduction"]?.isNull ?? false
            commonKeys = ["name", "reduction", "dtype"]
        } else {
            name = Self.defaultName
            reduction = .sumOverBatchSize
        }
        try Hyperparameters.read(config, into: self, owner: owner, otherKeys: commonKeys)
        try check()
        didConfigure()
    }

    /// Each declared field's rules; `compile` runs it for losses made in Swift.
    public func check() throws {
        try Hyperparameters.check(self, owner: "\(Self.kerasClassName) '\(name)'")
    }

    /// Runs once the hyper-parameters are set (from a config or a Swift initialiser).
    open func didConfigure() {}

    /// Per-sample loss values.
    open func values(yTrue: Tensor, yPred: Tensor) -> Tensor {
        OpCheck.fail("\(type(of: self)) must override values(yTrue:yPred:)")
    }

    /// What the loss says is wrong with inputs of these shapes (Keras's ValueErrors), as a
    /// `KeelError` naming the loss, what it expects and what it found; nothing when they fit.
    /// The function forms (`dice(_:_:)`, ...) throw it; `values` stops on it.
    /// The base asks what Keras's elementwise losses need (those marked `ElementwiseInputs`):
    /// shapes that broadcast together once brought to one rank; of other losses nothing.
    open func checkInputs(yTrue: Tensor, yPred: Tensor) throws {
        guard self is ElementwiseInputs else { return }
        let (t, p) = squeezeOrExpandToSameRank(yTrue, yPred)
        guard ShapeMath.broadcast(t.shape, p.shape) != nil else {
            throw KeelError("\(Self.kerasClassName) '\(name)': y_true and y_pred", expected: "shapes that broadcast together",
                            found: "y_true \(yTrue.shape), y_pred \(yPred.shape)")
        }
    }

    /// For a `values` that cannot throw: stops with `checkInputs`'s error.
    public func stopOnBadInputs(yTrue: Tensor, yPred: Tensor) {
        do { try checkInputs(yTrue: yTrue, yPred: yPred) } catch { OpCheck.fail("\(error)") }
    }

    /// Positions to leave out (1 = keep), shaped like the values; nil keeps everything.
    open func mask(yTrue: Tensor, yPred: Tensor) -> Tensor? { nil }

    /// `reduction` as Keras's `get_config` writes it: null when it was given as null.
    public var reductionConfigValue: JSONValue {
        reductionIsNull && reduction == .none ? .null : .string(reduction.rawValue)
    }

    /// Keras's `get_config`: `name` and `reduction`, then the declared fields in order. A loss
    /// that overrides it starts from `super.config`.
    open var config: JSONObject {
        var object = JSONObject()
        if Self.configHasNameAndReduction {
            object["name"] = .string(name)
            object["reduction"] = reductionConfigValue
        }
        Hyperparameters.write(self, into: &object)
        return object
    }

    /// `predictionMask` is the mask y_pred carries (a sequence output behind an Embedding with
    /// `mask_zero`): masked positions leave the loss, combined with the loss's own mask as Keras
    /// combines y_pred's mask with the loss values' (logical and).
    public func callAsFunction(_ yTrue: Tensor, _ yPred: Tensor, sampleWeight: Tensor? = nil,
                               predictionMask: Tensor? = nil) -> Tensor {
        let values = values(yTrue: yTrue, yPred: yPred)
        var combined = mask(yTrue: yTrue, yPred: yPred)
        if let predictionMask {
            combined = combined.map { LossMath.floats($0) * LossMath.floats(predictionMask) } ?? predictionMask
        }
        return LossReduction.reduceWeighted(values, sampleWeight: sampleWeight, mask: combined, reduction: reduction)
    }
}

/// Built-in losses that compare y_true and y_pred position by position (after Keras's
/// `squeeze_or_expand_to_same_rank`), so their shapes must broadcast together.
protocol ElementwiseInputs {}
extension MeanSquaredError: ElementwiseInputs {}
extension MeanAbsoluteError: ElementwiseInputs {}
extension MeanAbsolutePercentageError: ElementwiseInputs {}
extension MeanSquaredLogarithmicError: ElementwiseInputs {}
extension CosineSimilarity: ElementwiseInputs {}
extension Huber: ElementwiseInputs {}
extension LogCosh: ElementwiseInputs {}
extension Hinge: ElementwiseInputs {}
extension SquaredHinge: ElementwiseInputs {}
extension CategoricalHinge: ElementwiseInputs {}
extension KLDivergence: ElementwiseInputs {}
extension Poisson: ElementwiseInputs {}
extension BinaryCrossentropy: ElementwiseInputs {}
extension CategoricalCrossentropy: ElementwiseInputs {}
extension BinaryFocalCrossentropy: ElementwiseInputs {}
extension CategoricalFocalCrossentropy: ElementwiseInputs {}
extension FocalLoss: ElementwiseInputs {}
