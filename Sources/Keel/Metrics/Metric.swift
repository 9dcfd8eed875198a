/// The base of every metric: state variables that `updateState` accumulates, `result()` reads
/// and `resetState()` clears (Keras's stateful metrics). A user-defined metric subclasses this
/// and overrides the three methods.
open class Metric: KerasSerializable {
    open class var kerasClassName: String { "Metric" }
    /// Renaming a metric (as `compile` does with the string it was given) moves its variables'
    /// paths along.
    public var name: String {
        didSet { for variable in variables { variable.path = "\(name)/\(variable.name)" } }
    }
    public private(set) var variables: [Variable] = []
    private var initialValues: [Tensor] = []

    public init(name: String) { self.name = name }

    /// Adds a state variable (non-trainable) filled with `initialValue`.
    @discardableResult
    public func addVariable(name: String, shape: [Int] = [], initialValue: Float = 0) -> Variable {
        let value = Tensor(repeating: initialValue, shape: shape)
        let variable = Variable(value, name: name, path: "\(self.name)/\(name)", trainable: false)
        variables.append(variable)
        initialValues.append(value)
        return variable
    }

    open func updateState(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor? = nil) {
        preconditionFailure("\(type(of: self)) must override updateState(yTrue:yPred:sampleWeight:)")
    }

    open func result() -> Tensor {
        preconditionFailure("\(type(of: self)) must override result()")
    }

    /// Puts every state variable back to its initial value.
    open func resetState() {
        for (variable, value) in zip(variables, initialValues) { variable.assign(value) }
    }

    open var config: JSONObject { ["name": .string(name), "dtype": "float32"] }

    /// Whether larger results are better (used to pick a monitor mode).
    open var higherIsBetter: Bool { true }
}

extension Metric {
    /// Keras's `divide_no_nan` on two state values.
    static func dividedNoNaN(_ numerator: Float, _ denominator: Float) -> Float {
        denominator == 0 ? 0 : numerator / denominator
    }

    /// The metric's automatic name when none is given: Keras's `auto_name` of the class
    /// (`precision`, `precision_1`, ...), used by the metrics whose Keras default name is None.
    static func automaticName(for className: String) -> String {
        Naming.unique(Naming.snakeCase(className))
    }
}
