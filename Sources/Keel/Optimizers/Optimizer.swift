#if canImport(Glibc)
import Glibc
#endif

/// The template every optimizer shares (Keras's `BaseOptimizer.apply`, keras-spec §8.1): gradient
/// clipping (clipnorm, clipvalue, global_clipnorm), decoupled weight decay, the learning rate or
/// schedule, and the `iterations` counter live here once. A subclass only creates its slots in
/// `build(for:)` and writes its rule in `update(_:gradient:learningRate:)`.
open class Optimizer: KerasSerializable {
    open class var kerasClassName: String { "Optimizer" }
    /// The name new instances get by default (Keras: the snake_case class name), e.g. "adam".
    open class var defaultName: String { "optimizer" }

    public var name: String
    public var learningRate: LearningRate
    public var clipnorm: Float?
    public var clipvalue: Float?
    public var globalClipnorm: Float?
    public var weightDecay: Float?

    /// Keras's `iteration` variable (int32), always first in `variables`.
    public let iterationsVariable: Variable
    /// The float32 `learning_rate` variable Keras keeps when the rate is a number.
    public private(set) var learningRateVariable: Variable?
    public private(set) var slots: [Variable] = []
    /// Slots of each model variable, by the variable's object identity.
    private var slotsByVariable: [ObjectIdentifier: [String: Variable]] = [:]
    public private(set) var isBuilt = false

    public init(name: String? = nil, learningRate: LearningRate, clipnorm: Float? = nil, clipvalue: Float? = nil,
                globalClipnorm: Float? = nil, weightDecay: Float? = nil) {
        let resolvedName = name ?? Self.defaultName
        self.name = resolvedName
        self.learningRate = learningRate
        self.clipnorm = clipnorm
        self.clipvalue = clipvalue
        self.globalClipnorm = globalClipnorm
        self.weightDecay = weightDecay
        iterationsVariable = Variable(Tensor(repeatingInt32: 0, shape: []), name: "iteration",
                                      path: "\(resolvedName)/iteration", trainable: false)
        if case .constant(let rate) = learningRate {
            learningRateVariable = Variable(Tensor(rate), name: "learning_rate", path: "\(resolvedName)/learning_rate",
                                            trainable: false)
        }
    }

    /// Reads the options every Keras optimizer config has.
    public convenience init(baseConfig reader: ConfigReader, defaultLearningRate: Float) throws {
        self.init(name: try reader.optionalString("name"),
                  learningRate: try LearningRate(config: reader.value("learning_rate"), owner: reader.owner,
                                                 default: defaultLearningRate),
                  clipnorm: try reader.optionalFloat("clipnorm"), clipvalue: try reader.optionalFloat("clipvalue"),
                  globalClipnorm: try reader.optionalFloat("global_clipnorm"),
                  weightDecay: try reader.optionalFloat("weight_decay"))
    }

    public var iterations: Int { Int(iterationsVariable.value.int32Scalars[0]) }

    /// Every optimizer variable in Keras's order: iteration, learning_rate (if a number), slots.
    public var variables: [Variable] { [iterationsVariable] + (learningRateVariable.map { [$0] } ?? []) + slots }

    /// The learning rate in force for the next update.
    public var currentLearningRate: Float {
        switch learningRate {
        case .constant: return learningRateVariable?.value.scalar ?? 0
        case .schedule(let schedule): return schedule(iterations)
        }
    }

    /// Sets a constant learning rate (what ReduceLROnPlateau and LearningRateScheduler do).
    public func setLearningRate(_ rate: Float) {
        if let learningRateVariable {
            learningRateVariable.assign(Tensor(rate))
        } else {
            learningRate = .constant(rate)
            learningRateVariable = Variable(Tensor(rate), name: "learning_rate", path: "\(name)/learning_rate",
                                            trainable: false)
        }
    }

    // MARK: Slots

    /// Creates the subclass's slot variables for `variables` (trainable model variables in order).
    open func build(for variables: [Variable]) {}

    /// Adds slots named `<variable path, / as _>_<slotName>`, interleaved per variable when
    /// several names are given (Keras's `add_optimizer_variables`).
    public func addSlots(_ slotNames: [String], for variables: [Variable], initialValue: Float = 0) {
        for variable in variables {
            for slotName in slotNames {
                let base = variable.path.replacingOccurrences(of: "/", with: "_")
                let slot = Variable(Tensor(repeating: initialValue, shape: variable.shape),
                                    name: "\(base)_\(slotName)", path: "\(name)/\(base)_\(slotName)", trainable: false)
                slots.append(slot)
                slotsByVariable[ObjectIdentifier(variable), default: [:]][slotName] = slot
            }
        }
    }

    /// Adds an optimizer-wide variable that is not tied to a model variable (Nadam's `u_product`).
    public func addOptimizerVariable(name variableName: String, value: Tensor) -> Variable {
        let variable = Variable(value, name: variableName, path: variableName, trainable: false)
        slots.append(variable)
        return variable
    }

    public func slot(_ slotName: String, for variable: Variable) -> Variable {
        guard let slot = slotsByVariable[ObjectIdentifier(variable)]?[slotName] else {
            preconditionFailure("\(name): no slot '\(slotName)' for \(variable.path); build(for:) did not create it")
        }
        return slot
    }

    // MARK: Updating

    /// One update of each variable with its gradient (Keras's `apply`); nil gradients are skipped.
    public func apply(_ gradients: [Tensor?], to variables: [Variable]) {
        precondition(gradients.count == variables.count,
                     "\(name).apply: \(gradients.count) gradients for \(variables.count) variables")
        if !isBuilt {
            build(for: variables)
            isBuilt = true
        }
        let pairs = zip(gradients, variables).compactMap { g, v in g.map { ($0, v) } }
        let clipped = clip(pairs.map(\.0))
        let rate = currentLearningRate
        for ((_, variable), gradient) in zip(pairs, clipped) {
            if let weightDecay, weightDecay > 0 {
                let factor = weightDecay * rate
                variable.updateInPlace { w in for i in 0..<w.count { w[i] -= w[i] * factor } }
            }
            update(variable, gradient: gradient, learningRate: rate)
        }
        iterationsVariable.assign(Tensor(shape: [], int32s: [Int32(iterations + 1)]))
    }

    /// Computes the gradient of `loss` with respect to `variables` and applies it (Keras's `minimize`).
    public func minimize(_ loss: () -> Tensor, variables: [Variable]) {
        let tape = GradientTape()
        let value = tape.record(loss)
        apply(tape.gradient(of: value, wrt: variables), to: variables)
    }

    /// The subclass's rule: updates `variable` in place from `gradient` at `learningRate`.
    open func update(_ variable: Variable, gradient: Tensor, learningRate: Float) {
        preconditionFailure("\(type(of: self)) must override update(_:gradient:learningRate:)")
    }

    private func clip(_ gradients: [Tensor]) -> [Tensor] {
        if let clipnorm {
            return gradients.map { g in
                let norm = g.squared().sum().scalar.squareRoot()
                return norm > clipnorm ? g * (clipnorm / norm) : g
            }
        }
        if let globalClipnorm {
            let norm = gradients.reduce(Float(0)) { $0 + $1.squared().sum().scalar }.squareRoot()
            return norm > globalClipnorm ? gradients.map { $0 * (globalClipnorm / norm) } : gradients
        }
        if let clipvalue { return gradients.map { $0.clipped(min: -clipvalue, max: clipvalue) } }
        return gradients
    }

    open var config: JSONObject {
        var c = JSONObject()
        c["name"] = .string(name)
        c["learning_rate"] = learningRate.configValue
        c["weight_decay"] = weightDecay.map { .double(Double($0)) } ?? .null
        c["clipnorm"] = clipnorm.map { .double(Double($0)) } ?? .null
        c["global_clipnorm"] = globalClipnorm.map { .double(Double($0)) } ?? .null
        c["clipvalue"] = clipvalue.map { .double(Double($0)) } ?? .null
        c["use_ema"] = false
        c["ema_momentum"] = 0.99
        c["ema_overwrite_frequency"] = .null
        c["loss_scale_factor"] = .null
        c["gradient_accumulation_steps"] = .null
        return c
    }
}
