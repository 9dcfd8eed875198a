/// The base of every metric: state variables that `updateState` accumulates, `result()` reads
/// and `resetState()` clears (Keras's stateful metrics). A subclass declares its hyper-parameters
/// with `@Hyper`, creates its variables in `didConfigure()` and overrides `updateState` and
/// `result`; `init(config:)`, `config` and the checks come from the declarations.
open class Metric: ConfigConstructible {
    /// The Swift class name unless a subclass says otherwise, as Keras uses the Python class name.
    open class var kerasClassName: String { String(describing: self) }
    /// The name an instance gets when none is given: Keras's constructor default (`"mean"`,
    /// `"accuracy"`, ...), or nil where Keras's default is None and the name is made from the
    /// class (`precision`, `precision_1`, ...).
    open class var defaultName: String? { nil }
    /// The keys every metric's config has, read and written here rather than declared.
    public static let baseConfigKeys = ["name", "dtype"]

    /// Renaming a metric (as `compile` does with the string it was given) moves its variables'
    /// paths along.
    public var name: String {
        didSet { for variable in variables { variable.path = "\(name)/\(variable.name)" } }
    }
    public private(set) var variables: [Variable] = []
    private var initialValues: [Tensor] = []
    /// The dtype `config` names: float32, or for the IoU metrics Keras's default "int32" (their
    /// confusion matrix counts whole samples: fractional sample weights are truncated).
    public var dtype: String
    /// The dtype a metric of this class has when none is given.
    open class var defaultDType: String { "float32" }
    /// The dtypes the class computes in (Keel's metrics compute in float32 unless a class says more).
    open class var acceptedDTypes: [String] { ["float32"] }

    /// nil takes the class's default name. The state is created from the declared defaults; an
    /// initialiser that sets other values calls `didConfigure()` again, which recreates it.
    public init(name: String? = nil) {
        self.name = name ?? Self.newInstanceName()
        dtype = Self.defaultDType
        didConfigure()
    }

    /// Builds the metric from a Keras config: `name` and `dtype` are read here, the class's own
    /// fields from its `@Hyper` declarations; any other key is an error naming it.
    public required init(config: JSONObject) throws {
        let reader = ConfigReader(config, owner: "\(Self.kerasClassName) config")
        name = try reader.optionalString("name") ?? Self.newInstanceName()
        dtype = try Self.readDType(reader)
        try Hyperparameters.read(config, into: self, owner: reader.owner, otherKeys: Self.baseConfigKeys)
        try check()
        didConfigure()
    }

    private static func newInstanceName() -> String {
        defaultName ?? Naming.unique(Naming.snakeCase(kerasClassName))
    }

    /// Keras writes a dtype as a string or as a serialized DTypePolicy; Keel's metrics compute in
    /// float32 and accept nothing else, except where a class accepts more (`acceptedDTypes`;
    /// Keras's "int" is int32). Absent or null is the class's default.
    static func readDType(_ reader: ConfigReader) throws -> String {
        guard let dtype = reader.value("dtype"), !dtype.isNull else { return defaultDType }
        var policyName = dtype.stringValue ?? dtype.objectValue?["config"]?.objectValue?["name"]?.stringValue
        if policyName == "int" { policyName = "int32" }
        guard let policyName, acceptedDTypes.contains(policyName) else {
            throw KeelError("\(reader.owner): field 'dtype'",
                            expected: "\(acceptedDTypes.joined(separator: " or ")) (what Keel's \(kerasClassName) computes in)",
                            found: dtype.summary)
        }
        return policyName
    }

    /// Keras's constructor checks on the declared fields; a subclass adds checks that involve
    /// several fields. `compile` runs it for metrics made in Swift.
    open func check() throws {
        guard Self.acceptedDTypes.contains(dtype) else {
            throw KeelError("\(Self.kerasClassName) '\(name)': field 'dtype'",
                            expected: Self.acceptedDTypes.joined(separator: " or "), found: dtype)
        }
        try Hyperparameters.check(self, owner: "\(Self.kerasClassName) '\(name)'")
    }

    /// What the metric says is wrong with inputs of these shapes (Keras's ValueErrors), as a
    /// `KeelError` naming the metric, what it expects and what it found; nothing when they fit.
    /// `update(yTrue:yPred:sampleWeight:)` runs it; `updateState` stops on its error.
    open func checkInputs(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor?) throws {}

    /// `updateState` after `checkInputs`: bad inputs are thrown instead of stopping the process.
    public func update(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor? = nil) throws {
        try checkInputs(yTrue: yTrue, yPred: yPred, sampleWeight: sampleWeight)
        updateState(yTrue: yTrue, yPred: yPred, sampleWeight: sampleWeight)
    }

    /// For an `updateState` that cannot throw: stops with `checkInputs`'s error.
    public func stopOnBadInputs(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor?) {
        do { try checkInputs(yTrue: yTrue, yPred: yPred, sampleWeight: sampleWeight) } catch { OpCheck.fail("\(error)") }
    }

    /// Runs whenever the hyper-parameters have been set, and drops the state variables: an
    /// override calls `super.didConfigure()` first, then adds the variables its hyper-parameters
    /// call for. State that depends on them is only made when `configurationIsValid`, so a bad
    /// value given in Swift is reported by `check()` (at `compile`) instead of trapping here.
    open func didConfigure() {
        variables.removeAll()
        initialValues.removeAll()
    }

    public var configurationIsValid: Bool { (try? check()) != nil }

    /// Stops with `check()`'s message: the metric was used although its state could not be made.
    public func stopForInvalidConfiguration() -> Never {
        do {
            try check()
            OpCheck.fail("\(Self.kerasClassName) '\(name)': used before its state was created")
        } catch {
            OpCheck.fail("\(error)")
        }
    }

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
        OpCheck.fail("\(type(of: self)) must override updateState(yTrue:yPred:sampleWeight:)")
    }

    open func result() -> Tensor {
        OpCheck.fail("\(type(of: self)) must override result()")
    }

    /// Puts every state variable back to its initial value.
    open func resetState() {
        for (variable, value) in zip(variables, initialValues) { variable.assign(value) }
    }

    /// Keras's `get_config`: `name`, `dtype`, then the declared fields in declaration order.
    open var config: JSONObject {
        var config = JSONObject()
        config["name"] = .string(name)
        config["dtype"] = .string(dtype)
        Hyperparameters.write(self, into: &config)
        return config
    }

    /// Whether larger results are better (used to pick a monitor mode).
    open var higherIsBetter: Bool { true }
}

extension Metric {
    /// Keras's `divide_no_nan` on two state values.
    public static func dividedNoNaN(_ numerator: Float, _ denominator: Float) -> Float {
        denominator == 0 ? 0 : numerator / denominator
    }
}
