/// What `compile` accepts, by object or by registry name, as Keras does.
public enum OptimizerSpec: ExpressibleByStringLiteral {
    case name(String)
    case optimizer(Optimizer)

    public init(stringLiteral value: String) { self = .name(value) }

    func resolve() throws -> Optimizer {
        switch self {
        case .name(let name): return try Registries.optimizers.make(name)
        case .optimizer(let optimizer):
            // One made in Swift has not been checked yet: Keras raises for it at construction.
            try optimizer.check()
            return optimizer
        }
    }
}

public enum LossSpec: ExpressibleByStringLiteral {
    case name(String)
    case loss(Loss)
    /// A function of (y_true, y_pred) giving per-sample values, as Keras's `compile` takes
    /// `keras.losses.mean_squared_error` or a user's function; `name` is what a saved model
    /// records (a registered loss name such as "mean_squared_error" loads back as that loss).
    case function(name: String, TargetFunction)

    public init(stringLiteral value: String) { self = .name(value) }

    func resolve() throws -> Loss {
        switch self {
        case .name(let name): return try Registries.losses.make(name)
        case .loss(let loss):
            try loss.check()
            return loss
        case .function(let name, let body):
            return FunctionLoss(name: name, body)
        }
    }

    /// What Keras's CompileLoss calls this loss when the output it scores has no name (a
    /// subclassed model's): the string given, or the loss's own name.
    var nameForUnnamedOutput: String {
        switch self {
        case .name(let name): return name
        case .loss(let loss): return loss.name
        case .function(let name, _): return name
        }
    }

    /// The string Keras writes into `training_config` for this loss.
    var configValue: JSONValue {
        switch self {
        case .name(let name): return .string(name)
        case .loss(let loss): return loss.serialized(module: "keras.losses")
        case .function(let name, _): return .string(name)
        }
    }
}

public enum MetricSpec: ExpressibleByStringLiteral {
    case name(String)
    case metric(Metric)
    /// A function of (y_true, y_pred) giving per-sample values, as Keras's `compile` takes a
    /// user's function: its weighted running mean, logged as `name` (Keras uses the function's
    /// `__name__`) and recorded by that name in a saved model (see `CustomFunctions`).
    case function(name: String, TargetFunction)

    public init(stringLiteral value: String) { self = .name(value) }

    var configValue: JSONValue {
        switch self {
        case .name(let name): return .string(name)
        case .metric(let metric): return metric.serialized(module: "keras.metrics")
        case .function(let name, _): return .string(name)
        }
    }

    /// Whether each output can get its own metric from this spec (a name or a function can, an
    /// object cannot be shared).
    var makesFreshMetric: Bool {
        if case .metric = self { return false }
        return true
    }
}

/// Losses for a model's outputs: one for all, one per output in order, or by output name.
public enum LossesSpec: ExpressibleByStringLiteral {
    case all(LossSpec)
    case perOutput([LossSpec?])
    case byName([String: LossSpec])

    public init(stringLiteral value: String) { self = .all(.name(value)) }

    /// One loss function for every output: `loss: .function(name: "focal_loss_fixed") { yTrue, yPred in ... }`.
    public static func function(name: String, _ body: @escaping TargetFunction) -> LossesSpec {
        .all(.function(name: name, body))
    }
}

/// Metrics for a model's outputs: the same list for every output, per output in order, or by name.
public enum MetricsSpec: ExpressibleByArrayLiteral {
    case all([MetricSpec])
    case perOutput([[MetricSpec]])
    case byName([String: [MetricSpec]])

    public init(arrayLiteral elements: MetricSpec...) { self = .all(elements) }
}
