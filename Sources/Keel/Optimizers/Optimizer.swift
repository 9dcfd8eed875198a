import Foundation

/// The template every optimizer shares (Keras's `BaseOptimizer.apply`, keras-spec §8.1): loss
/// scaling, gradient clipping (clipnorm, clipvalue, global_clipnorm), decoupled weight decay, the
/// learning rate or schedule, and the `iterations` counter live here once. A subclass only creates
/// its slots in `build(for:)` and writes its rule in `update(_:gradient:learningRate:)`.
open class Optimizer: ConfigConstructible {
    /// The Swift class name unless a subclass says otherwise, as Keras uses the Python class name.
    open class var kerasClassName: String { String(describing: self) }
    /// The base of the name new instances get (Keras: the snake_case class name), e.g. "adam";
    /// made unique per process like Keras's `auto_name` (`adam`, `adam_1`, ...).
    open class var defaultName: String { Naming.snakeCase(kerasClassName) }
    /// The learning rate Keras uses when none is given.
    open class var defaultLearningRate: Float { 0.001 }
    /// Keras's default `weight_decay` (nil: no decay; AdamW overrides it).
    open class var defaultWeightDecay: Double? { nil }
    /// Whether `weight_decay` must be a number: true where it is on by default (AdamW raises on
    /// None), unless the class says otherwise (Muon takes None).
    open class var requiresWeightDecay: Bool { defaultWeightDecay != nil }

    public var name: String
    /// Setting a number writes it into the `learning_rate` variable, as Keras's setter does; a
    /// schedule set later leaves that variable in `variables` (Keras keeps tracking it too).
    public var learningRate: LearningRate {
        didSet {
            guard case .constant(let rate) = learningRate else { return }
            if let learningRateVariable {
                learningRateVariable.assign(Tensor(rate))
            } else {
                learningRateVariable = Variable(Tensor(rate), name: "learning_rate", path: "\(name)/learning_rate",
                                                trainable: false)
            }
        }
    }
    // Hyper-parameters are Python floats in Keras: kept as Double so configs round-trip exactly.
    public var clipnorm: Double?
    public var clipvalue: Double?
    public var globalClipnorm: Double?
    public var weightDecay: Double?
    /// Gradients are divided by it before clipping; `scaleLoss` multiplies a loss by it.
    public var lossScaleFactor: Double?

    /// Keras's `iteration` variable (int32), always first in `variables`.
    public let iterationsVariable: Variable
    /// The float32 `learning_rate` variable Keras keeps when the rate is a number.
    public private(set) var learningRateVariable: Variable?
    public private(set) var slots: [Variable] = []
    /// Slots of each model variable, by the variable's object identity.
    private var slotsByVariable: [ObjectIdentifier: [String: Variable]] = [:]
    public private(set) var isBuilt = false
    private let weightDecayExclusion = WeightDecayExclusion()
    /// Set by `DistributedOptimizer(wrapping:)`: gradients are averaged across the ranks of a
    /// distributed job before each update.
    public internal(set) var gradientAveraging: GradientAveraging?
    /// Echoed in `config` only: Keel does not average weights (use_ema must be false).
    private var emaMomentum = 0.99
    private var emaOverwriteFrequency: Int?

    /// nil arguments take the class's defaults (`defaultLearningRate`, `defaultWeightDecay`). The
    /// class's own hyper-parameters keep their declared defaults; `@Component` gives each class an
    /// initialiser that takes them too.
    public init(learningRate: LearningRate? = nil, weightDecay: Double? = nil, clipnorm: Double? = nil,
                clipvalue: Double? = nil, globalClipnorm: Double? = nil, lossScaleFactor: Double? = nil,
                name: String? = nil) {
        let resolvedName = name ?? Naming.unique(Self.defaultName)
        let rate = learningRate ?? .constant(Self.defaultLearningRate)
        self.name = resolvedName
        self.learningRate = rate
        self.clipnorm = clipnorm
        self.clipvalue = clipvalue
        self.globalClipnorm = globalClipnorm
        self.weightDecay = weightDecay ?? Self.defaultWeightDecay
        self.lossScaleFactor = lossScaleFactor
        iterationsVariable = Self.makeIterationsVariable(optimizerName: resolvedName)
        learningRateVariable = Self.makeLearningRateVariable(rate, optimizerName: resolvedName)
    }

    /// Builds the optimizer from a Keras config: the options every optimizer has are read here,
    /// the class's own from its `@Hyper` declarations; any other key is an error naming it.
    public required init(config: JSONObject) throws {
        let reader = ConfigReader(config, owner: "\(Self.kerasClassName) config")
        let clipnorm = try reader.optionalDouble("clipnorm")
        let clipvalue = try reader.optionalDouble("clipvalue")
        let globalClipnorm = try reader.optionalDouble("global_clipnorm")
        let learningRate = try LearningRate(config: reader.value("learning_rate"), owner: reader.owner,
                                            default: Self.defaultLearningRate)
        let resolvedName = try reader.optionalString("name") ?? Naming.unique(Self.defaultName)
        name = resolvedName
        self.learningRate = learningRate
        self.clipnorm = clipnorm
        self.clipvalue = clipvalue
        self.globalClipnorm = globalClipnorm
        weightDecay = reader.has("weight_decay") ? try reader.optionalDouble("weight_decay") : Self.defaultWeightDecay
        lossScaleFactor = try reader.optionalDouble("loss_scale_factor")
        emaMomentum = try reader.double("ema_momentum", default: 0.99)
        emaOverwriteFrequency = try reader.optionalInt("ema_overwrite_frequency")
        try OptimizerConfigFields.rejectUnsupported(reader)
        iterationsVariable = Self.makeIterationsVariable(optimizerName: resolvedName)
        learningRateVariable = Self.makeLearningRateVariable(learningRate, optimizerName: resolvedName)
        try Hyperparameters.read(config, into: self, owner: reader.owner,
                                 otherKeys: OptimizerConfigFields.base + OptimizerConfigFields.ignoredLegacy)
        try check()
        didConfigure()
    }

    /// Keras's constructor checks: at most one clipping option, and each declared field's rules.
    /// `compile` runs it for optimizers made in Swift.
    public func check() throws {
        let owner = "\(Self.kerasClassName) '\(name)'"
        if [clipnorm, clipvalue, globalClipnorm].compactMap({ $0 }).count > 1 {
            throw KeelError("\(owner): fields 'clipnorm', 'clipvalue', 'global_clipnorm'",
                            expected: "at most one of them set", found: "several")
        }
        // A class whose decay is on by default (AdamW) needs a number there, as Keras raises.
        if Self.requiresWeightDecay, weightDecay == nil {
            throw KeelError("\(owner): field 'weight_decay'", expected: "a number", found: "null")
        }
        if case .schedule(let schedule) = learningRate { try schedule.check() }
        try Hyperparameters.check(self, owner: owner)
    }

    /// Runs once the hyper-parameters are set (from a config or a Swift initialiser).
    open func didConfigure() {}

    private static func makeIterationsVariable(optimizerName: String) -> Variable {
        Variable(Tensor(repeatingInt32: 0, shape: []), name: "iteration", path: "\(optimizerName)/iteration",
                 trainable: false)
    }

    private static func makeLearningRateVariable(_ learningRate: LearningRate, optimizerName: String) -> Variable? {
        guard case .constant(let rate) = learningRate else { return nil }
        return Variable(Tensor(rate), name: "learning_rate", path: "\(optimizerName)/learning_rate", trainable: false)
    }

    public var iterations: Int { Int(iterationsVariable.value.int32Scalars[0]) }

    /// Every optimizer variable in Keras's order: iteration, learning_rate (if a number), slots.
    public var variables: [Variable] { [iterationsVariable] + (learningRateVariable.map { [$0] } ?? []) + slots }

    /// The learning rate in force for the next update (a schedule is evaluated at `iterations`).
    public var currentLearningRate: Float {
        switch learningRate {
        case .constant(let rate): return learningRateVariable?.value.scalar ?? rate
        case .schedule(let schedule): return schedule(iterations)
        }
    }

    /// Sets a constant learning rate (what ReduceLROnPlateau and LearningRateScheduler do).
    public func setLearningRate(_ rate: Float) { learningRate = .constant(rate) }

    /// Multiplies a loss by `lossScaleFactor` (Keras's `scale_loss`); `apply` divides it out again.
    public func scaleLoss(_ loss: Tensor) -> Tensor {
        guard let lossScaleFactor else { return loss }
        return loss * Float(lossScaleFactor)
    }

    /// Keeps `variables`, and every variable whose name matches one of `names` (regular
    /// expressions searched in the name, as Keras), out of weight decay. Only before building.
    public func excludeFromWeightDecay(variables: [Variable] = [], names: [String] = []) {
        opCheck(!isBuilt, "\(name).excludeFromWeightDecay: call it before the optimizer is built")
        weightDecayExclusion.configure(variables: variables, names: names)
    }

    // MARK: Slots

    /// Creates the subclass's slot variables for `variables` (trainable model variables in order).
    open func build(for variables: [Variable]) {}

    /// Builds the slots for `variables` once (the first `apply` does it; loading saved optimizer
    /// state needs it earlier).
    public func buildIfNeeded(for variables: [Variable]) {
        guard !isBuilt else { return }
        build(for: variables)
        isBuilt = true
    }

    /// Adds slots named `<variable path, / as _>_<slotName>`, interleaved per variable when
    /// several names are given (Keras's `add_optimizer_variables`).
    public func addSlots(_ slotNames: [String], for variables: [Variable], initialValue: Float = 0) {
        addSlots(slotNames.map { ($0, initialValue) }, for: variables)
    }

    /// `addSlots` with an initial value per slot name (Ftrl: accumulators 0.1, linears 0).
    public func addSlots(_ slotSpecs: [(name: String, initialValue: Float)], for variables: [Variable]) {
        for variable in variables {
            for (slotName, initialValue) in slotSpecs {
                let base = variable.path.replacingOccurrences(of: "/", with: "_")
                let slot = Variable(Tensor(repeating: initialValue, shape: variable.shape),
                                    name: "\(base)_\(slotName)", path: "\(name)/\(base)_\(slotName)", trainable: false)
                slots.append(slot)
                slotsByVariable[ObjectIdentifier(variable), default: [:]][slotName] = slot
            }
        }
    }

    /// Adds an optimizer-wide variable that is not tied to a model variable (Nadam's `u_product`,
    /// which Keras creates unnamed, so it is `variable` under the optimizer's scope).
    public func addOptimizerVariable(name variableName: String, value: Tensor) -> Variable {
        let variable = Variable(value, name: variableName, path: "\(name)/\(variableName)", trainable: false)
        slots.append(variable)
        return variable
    }

    public func slot(_ slotName: String, for variable: Variable) -> Variable {
        guard let slot = slotsByVariable[ObjectIdentifier(variable)]?[slotName] else {
            OpCheck.fail("\(name): no slot '\(slotName)' for \(variable.path); the optimizer was built for other variables")
        }
        return slot
    }

    // MARK: Updating

    /// One update of each variable with its gradient (Keras's `apply`); nil gradients are skipped.
    /// A variable with a constraint then holds the constraint's projection of its updated value.
    public func apply(_ gradients: [Tensor?], to variables: [Variable]) {
        opCheck(gradients.count == variables.count,
                     "\(name).apply: \(gradients.count) gradients for \(variables.count) variables")
        let gradients = gradientAveraging?.averaged(gradients, of: variables) ?? gradients
        buildIfNeeded(for: variables)
        let pairs = zip(gradients, variables).compactMap { g, v in g.map { ($0, v) } }
        opCheck(!pairs.isEmpty, "\(name).apply: no gradient for any of \(variables.map(\.path)); does the loss depend on them?")
        var grads = pairs.map(\.0)
        if let lossScaleFactor { grads = GradientClipping.scaled(grads, by: Float(1 / lossScaleFactor)) }
        grads = clip(grads)
        let rate = currentLearningRate
        for (_, variable) in pairs {
            guard let decay = weightDecay(for: variable), !weightDecayExclusion.excludes(variable) else { continue }
            Self.decay(variable, weightDecay: Float(decay), learningRate: rate)
        }
        beginStep()
        for ((_, variable), gradient) in zip(pairs, grads) {
            opCheck(gradient.shape == variable.shape,
                         "\(name).apply: gradient of shape \(gradient.shape) for \(variable.path) of shape \(variable.shape)")
            update(variable, gradient: gradient, learningRate: rate)
        }
        // Keras projects each constrained variable right after the updates.
        for (_, variable) in pairs {
            if let constraint = variable.constraint { variable.assign(constraint(variable.value)) }
        }
        iterationsVariable.assign(Tensor(shape: [], int32s: [Int32(iterations + 1)]))
    }

    /// Computes the gradient of `loss` with respect to `variables` and applies it (Keras's `minimize`).
    public func minimize(_ loss: () -> Tensor, variables: [Variable]) {
        let tape = GradientTape()
        let value = tape.record { scaleLoss(loss()) }
        apply(gradients(of: value, wrt: variables, from: tape), to: variables)
    }

    /// The decoupled weight decay of `variable` (nil: none): `weightDecay` unless a class decays
    /// its variables differently (Muon: `adam_weight_decay` for the ones it steps with AdamW).
    open func weightDecay(for variable: Variable) -> Double? { weightDecay }

    /// Runs once per `apply`, after weight decay and before the per-variable updates (Keras's
    /// `_backend_update_step`), for state shared by all variables, like Nadam's `u_product`.
    open func beginStep() {}

    /// The subclass's rule: updates `variable` in place from `gradient` at `learningRate`.
    open func update(_ variable: Variable, gradient: Tensor, learningRate: Float) {
        OpCheck.fail("\(type(of: self)) must override update(_:gradient:learningRate:)")
    }

    /// Decoupled weight decay, `w ← w − (w·wd)·lr`, in Keras's float32 operation order.
    private static func decay(_ variable: Variable, weightDecay: Float, learningRate: Float) {
        variable.updateInPlace { w in
            guard let base = w.baseAddress else { return }
            let n = w.count
            var i = 0
            while i < n {
                base[i] -= base[i] * weightDecay * learningRate
                i &+= 1
            }
        }
    }

    private func clip(_ gradients: [Tensor]) -> [Tensor] {
        if let clipnorm { return gradients.map { GradientClipping.clippedByNorm($0, Float(clipnorm)) } }
        if let globalClipnorm { return GradientClipping.clippedByGlobalNorm(gradients, Float(globalClipnorm)) }
        if let clipvalue { return gradients.map { GradientClipping.clippedByValue($0, Float(clipvalue)) } }
        return gradients
    }

    open var config: JSONObject {
        var c = JSONObject()
        c["name"] = .string(name)
        switch learningRate {
        case .constant(let rate): c["learning_rate"] = .double(Double(learningRateVariable?.value.scalar ?? rate))
        case .schedule: c["learning_rate"] = learningRate.configValue
        }
        c["weight_decay"] = weightDecay.map { .double($0) } ?? .null
        c["clipnorm"] = clipnorm.map { .double($0) } ?? .null
        c["global_clipnorm"] = globalClipnorm.map { .double($0) } ?? .null
        c["clipvalue"] = clipvalue.map { .double($0) } ?? .null
        c["use_ema"] = false
        c["ema_momentum"] = .double(emaMomentum)
        c["ema_overwrite_frequency"] = emaOverwriteFrequency.map { .int($0) } ?? .null
        c["loss_scale_factor"] = lossScaleFactor.map { .double($0) } ?? .null
        c["gradient_accumulation_steps"] = .null
        Hyperparameters.write(self, into: &c)
        return c
    }
}
