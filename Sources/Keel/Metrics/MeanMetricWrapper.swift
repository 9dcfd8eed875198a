extension Metrics {
    /// Keras `MeanMetricWrapper`: the running weighted mean of a per-sample function of
    /// (y_true, y_pred), such as a loss function ("mse", "mae", ...) or an accuracy. The built-in
    /// subclasses compute their values in `values(yTrue:yPred:)`; this class itself averages a
    /// function given in Swift or the loss named by its config's `fn`.
    open class MeanMetricWrapper: Mean {
        open override class var kerasClassName: String { "MeanMetricWrapper" }
        open override class var defaultName: String? { nil }
        private var function: ((Tensor, Tensor) -> Tensor)?
        /// The loss whose per-sample values this metric averages, when it wraps one.
        public private(set) var wrappedLoss: Loss?
        /// The arguments the wrapped loss function was given (Keras's `fn` kwargs).
        private var functionArguments = JSONObject()
        private var functionIsLowerBetter = false

        /// Declared again only because this class reads its own config: a class that writes any
        /// designated initialiser inherits none, and the subclasses need this one.
        public override init(name: String? = nil) { super.init(name: name) }

        /// Averages `function(y_true, y_pred)`; `higherIsBetter` says which way is an improvement.
        public convenience init(name: String, higherIsBetter: Bool = true, function: @escaping (Tensor, Tensor) -> Tensor) {
            self.init(name: name)
            self.function = function
            functionIsLowerBetter = !higherIsBetter
        }

        /// Averages the per-sample values of `loss` (Keras wraps its loss functions this way).
        public convenience init(loss: Loss, name: String? = nil) {
            var arguments = loss.config
            arguments["name"] = nil
            arguments["reduction"] = nil
            self.init(name: name ?? loss.name)
            wrap(loss, arguments: arguments)
        }

        /// Keras's config: `{"name", "dtype", "fn", ...fn kwargs}`, where `fn` names a loss function
        /// (a string, a serialized function, or a serialized loss) and the kwargs configure it.
        /// The kwargs are the loss's keys, not declarations of this class, so it reads them itself;
        /// a subclass reads its config through its declarations like every metric.
        public required init(config: JSONObject) throws {
            guard Self.self == MeanMetricWrapper.self else {
                try super.init(config: config)
                return
            }
            var kwargs = config
            for key in ["fn"] + Metric.baseConfigKeys { kwargs[key] = nil }
            let loss = try MeanMetricWrapper.loss(named: config["fn"], arguments: kwargs)
            var base = JSONObject()
            for key in Metric.baseConfigKeys { base[key] = config[key] }
            try super.init(config: base)
            wrap(loss, arguments: kwargs)
        }

        private static func loss(named function: JSONValue?, arguments: JSONObject) throws -> Loss {
            switch function {
            case nil:
                throw KeelError("MeanMetricWrapper config: field 'fn'", expected: "the name of a loss function",
                                found: "no such field")
            case .string(let lossName)?:
                return try Registries.losses.make(lossName, config: arguments)
            case .object(let object)? where object["class_name"]?.stringValue == "function":
                guard let lossName = object["config"]?.stringValue else {
                    throw KeelError("MeanMetricWrapper config: field 'fn'",
                                    expected: "a serialized function with its name in 'config'", found: function!.summary)
                }
                return try Registries.losses.make(lossName, config: arguments)
            case let serialized?:
                return try Registries.losses.make(from: serialized)
            }
        }

        private func wrap(_ loss: Loss, arguments: JSONObject) {
            function = { loss.values(yTrue: $0, yPred: $1) }
            wrappedLoss = loss
            functionArguments = arguments
            functionIsLowerBetter = true
        }

        /// Keras names the wrapped loss function in `fn` (`mean_squared_error`, `huber`; a loss
        /// registered only under its class name by that) and adds its arguments.
        open override var config: JSONObject {
            var config = super.config
            guard let wrappedLoss else { return config }
            let className = type(of: wrappedLoss).kerasClassName
            let functionName = Registries.losses.contains(Naming.snakeCase(className)) ? Naming.snakeCase(className) : className
            config["fn"] = [
                "module": "keras.losses", "class_name": "function", "config": .string(functionName),
                "registered_name": "function",
            ]
            for (key, value) in functionArguments { config[key] = value }
            return config
        }

        open override var higherIsBetter: Bool { !functionIsLowerBetter }

        /// The per-sample values this metric averages.
        open func values(yTrue: Tensor, yPred: Tensor) -> Tensor {
            guard let function else {
                OpCheck.fail("\(Self.kerasClassName) '\(name)': no function to average; give one or override values(yTrue:yPred:)")
            }
            return function(yTrue, yPred)
        }

        open override func updateState(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor? = nil) {
            updateState(values: values(yTrue: stopGradient(yTrue), yPred: stopGradient(yPred)), sampleWeight: sampleWeight)
        }
    }
}
