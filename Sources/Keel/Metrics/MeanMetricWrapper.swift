extension Metrics {
    /// Keras `MeanMetricWrapper`: the running weighted mean of a per-sample function of
    /// (y_true, y_pred), such as a loss function ("mse", "mae", ...) or an accuracy.
    open class MeanMetricWrapper: Mean {
        open override class var kerasClassName: String { "MeanMetricWrapper" }
        public let function: (Tensor, Tensor) -> Tensor
        /// The loss whose per-sample values this metric averages, when it wraps one.
        public let wrappedLoss: Loss?
        /// The arguments the wrapped loss function was given (Keras's `fn` kwargs).
        private let functionArguments: JSONObject
        private let lowerIsBetter: Bool

        /// Averages `function(y_true, y_pred)`; `higherIsBetter` says which way is an improvement.
        public init(name: String, higherIsBetter: Bool = true, function: @escaping (Tensor, Tensor) -> Tensor) {
            self.function = function
            self.wrappedLoss = nil
            self.functionArguments = JSONObject()
            self.lowerIsBetter = !higherIsBetter
            super.init(name: name)
        }

        /// Averages the per-sample values of `loss` (Keras wraps its loss functions this way).
        public convenience init(loss: Loss, name: String? = nil) {
            var arguments = loss.config
            arguments["name"] = nil
            arguments["reduction"] = nil
            self.init(loss: loss, arguments: arguments, name: name)
        }

        init(loss: Loss, arguments: JSONObject, name: String?) {
            self.function = { loss.values(yTrue: $0, yPred: $1) }
            self.wrappedLoss = loss
            self.functionArguments = arguments
            self.lowerIsBetter = true
            super.init(name: name ?? loss.name)
        }

        /// Keras's config: `{"name", "dtype", "fn", ...fn kwargs}`, where `fn` names a loss function
        /// (a string, a serialized function, or a serialized loss) and the kwargs configure it.
        public convenience init(config: JSONObject) throws {
            let reader = ConfigReader(config, owner: "MeanMetricWrapper")
            guard let function = reader.value("fn") else {
                throw KeelError("MeanMetricWrapper: field 'fn'", expected: "the name of a loss function",
                                found: "no such field")
            }
            var kwargs = config
            for key in ["name", "dtype", "fn"] { kwargs[key] = nil }
            let loss: Loss
            switch function {
            case .string(let lossName):
                loss = try Registries.losses.make(lossName, config: kwargs)
            case .object(let object) where object["class_name"]?.stringValue == "function":
                guard let lossName = object["config"]?.stringValue else {
                    throw KeelError("MeanMetricWrapper: field 'fn'",
                                    expected: "a serialized function with its name in 'config'", found: function.summary)
                }
                loss = try Registries.losses.make(lossName, config: kwargs)
            default:
                loss = try Registries.losses.make(from: function)
            }
            self.init(loss: loss, arguments: kwargs, name: try reader.optionalString("name"))
        }

        open override var config: JSONObject {
            guard let wrappedLoss else { return super.config }
            // Keras names the loss function (`mean_squared_error`, `huber`); a loss registered
            // only under its class name is named by that.
            let className = type(of: wrappedLoss).kerasClassName
            let functionName = Registries.losses.contains(Naming.snakeCase(className)) ? Naming.snakeCase(className) : className
            var object = config(adding: ["fn": [
                "module": "keras.losses", "class_name": "function", "config": .string(functionName),
                "registered_name": "function",
            ]])
            for (key, value) in functionArguments { object[key] = value }
            return object
        }

        open override var higherIsBetter: Bool { !lowerIsBetter }

        open override func updateState(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor? = nil) {
            updateState(values: function(stopGradient(yTrue), stopGradient(yPred)), sampleWeight: sampleWeight)
        }
    }
}
