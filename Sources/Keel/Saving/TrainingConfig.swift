/// A compiled model's `compile` arguments as Keras saves them: `training_config` in legacy
/// .h5 files (keras-spec §1.3) and `compile_config` in .keras archives (§2.2). Loading compiles
/// the model again from either.
enum TrainingConfig {
    enum Flavour {
        /// `training_config`: objects as `{"class_name", "config"}`, the optimizer under
        /// `optimizer_config` after the other fields.
        case legacyH5
        /// `compile_config`: objects as `serialize_keras_object` writes them (with `module` and
        /// `registered_name`), the optimizer first under `optimizer`.
        case kerasArchive
    }

    /// The JSON for `model`, or nil when it is not compiled.
    static func json(of model: Model, flavour: Flavour) -> JSONValue? {
        guard let compiled = model.compiled, let optimizer = model.optimizer else { return nil }
        let singleOutput = compiled.outputNames.count == 1
        var object = JSONObject()
        if flavour == .kerasArchive {
            object["optimizer"] = serialized(optimizer, type(of: optimizer).kerasClassName, module: "keras.optimizers",
                                             flavour: flavour)
        }
        let losses = compiled.lossSpecs.map { spec in spec.map { lossValue($0, flavour: flavour) } ?? .null }
        object["loss"] = singleOutput ? losses[0] : .array(losses)
        object["loss_weights"] = compiled.lossWeights.allSatisfy { $0 == 1 }
            ? .null : .array(compiled.lossWeights.map { .double(Double($0)) })
        object["metrics"] = metricsValue(compiled.metricSpecs, singleOutput: singleOutput, flavour: flavour)
        object["weighted_metrics"] = metricsValue(compiled.weightedMetricSpecs, singleOutput: singleOutput, flavour: flavour)
        object["run_eagerly"] = false
        object["steps_per_execution"] = 1
        object["jit_compile"] = true
        if flavour == .legacyH5 {
            object["optimizer_config"] = ["class_name": .string(type(of: optimizer).kerasClassName),
                                          "config": .object(optimizer.config)]
        }
        return .object(object)
    }

    private static func serialized(_ component: KerasSerializable, _ className: String, module: String,
                                   flavour: Flavour) -> JSONValue {
        switch flavour {
        case .legacyH5: return ["class_name": .string(className), "config": .object(component.config)]
        case .kerasArchive:
            return ["module": .string(module), "class_name": .string(className), "config": .object(component.config),
                    "registered_name": nil]
        }
    }

    private static func lossValue(_ spec: LossSpec, flavour: Flavour) -> JSONValue {
        switch spec {
        case .name(let name): return .string(loadableLossName(name))
        case .loss(let loss): return serialized(loss, type(of: loss).kerasClassName, module: "keras.losses", flavour: flavour)
        case .function(let name, _): return .string(loadableLossName(name))
        }
    }

    /// Keras 3.15.1 cannot load a `training_config` whose loss is a short alias such as
    /// "mse" (keras-spec §1.2 pitfall), so aliases are written as the loss's function name.
    static func loadableLossName(_ name: String) -> String {
        guard let entry = Registries.losses.entry(named: name), entry.className != name else { return name }
        let functionName = Naming.snakeCase(entry.className)
        return entry.aliases.contains(functionName) ? functionName : name
    }

    private static func metricsValue(_ specs: [[MetricSpec]], singleOutput: Bool, flavour: Flavour) -> JSONValue {
        guard specs.contains(where: { !$0.isEmpty }) else { return .null }
        let lists = specs.map { list in JSONValue.array(list.map { metricValue($0, flavour: flavour) }) }
        return singleOutput ? lists[0] : .array(lists)
    }

    private static func metricValue(_ spec: MetricSpec, flavour: Flavour) -> JSONValue {
        switch spec {
        case .name(let name): return .string(name)
        case .metric(let metric):
            return serialized(metric, type(of: metric).kerasClassName, module: "keras.metrics", flavour: flavour)
        case .function(let name, _): return .string(name)
        }
    }

    // MARK: Loading

    /// Compiles `model` from a `training_config` or `compile_config`; `source` names the file.
    /// For inference a config that cannot be compiled leaves the model uncompiled, with a
    /// warning; returns whether the model was compiled.
    @discardableResult
    static func compile(_ model: Model, from config: JSONObject, source: String, purpose: Model.LoadPurpose) throws -> Bool {
        do {
            try compile(model, from: config, source: source)
            return true
        } catch where purpose == .inference {
            SavingWarnings.emit("\(source): loaded without its compile configuration (prediction needs no optimizer, loss or metrics): \(error)")
            return false
        } catch let error as KeelError where !error.message.contains("compile configuration") {
            // A class no registry knows says where it was named.
            throw KeelError("\(source): compile configuration: \(error.message)")
        }
    }

    static func compile(_ model: Model, from config: JSONObject, source: String) throws {
        let owner = "\(source): compile configuration"
        guard let optimizerValue = config["optimizer_config"] ?? config["optimizer"], !optimizerValue.isNull else {
            throw KeelError("\(owner) field 'optimizer_config'", expected: "an optimizer", found: "none")
        }
        let optimizer = try makeOptimizer(optimizerValue, owner: owner)
        let outputNames = model.outputNames
        let loss = try lossesSpec(config["loss"] ?? .null, outputCount: outputNames.count, owner: owner)
        let metrics = try metricsSpec(config["metrics"] ?? .null, owner: owner)
        let weightedMetrics = try metricsSpec(config["weighted_metrics"] ?? .null, owner: owner)
        let lossWeights = try lossWeightsTable(config["loss_weights"] ?? .null, outputNames: outputNames, owner: owner)
        try model.compile(optimizer: .optimizer(optimizer), loss: loss, metrics: metrics, lossWeights: lossWeights,
                          weightedMetrics: weightedMetrics)
    }

    /// Keras matches an optimizer's class name without regard to case (`optimizers.deserialize`).
    private static func makeOptimizer(_ value: JSONValue, owner: String) throws -> Optimizer {
        let registry = Registries.optimizers
        if let className = value.objectValue?["class_name"]?.stringValue, !registry.contains(className),
           let match = registry.classNames.first(where: { $0.lowercased() == className.lowercased() }) {
            return try registry.make(match, config: value.objectValue?["config"]?.objectValue ?? JSONObject())
        }
        return try registry.make(from: value)
    }

    /// The name of a function a file records as Keras serializes a Python function
    /// (`{"class_name": "function", "config": "<name>"}` in `.keras` archives), or a plain string.
    private static func functionName(_ value: JSONValue) -> String? {
        if let name = value.stringValue { return name }
        guard let object = value.objectValue, object["class_name"]?.stringValue == "function" else { return nil }
        return object["config"]?.stringValue
    }

    /// The error for a loss or metric name neither a registry nor `CustomFunctions` knows: a
    /// function the model was compiled with in Swift, which Keel (like Keras) cannot rebuild alone.
    private static func unknownFunction(_ name: String, kind: String, owner: String) -> KeelError {
        KeelError("\(owner) \(kind) '\(name)'",
                  expected: "a built-in \(kind), or a function registered first with CustomFunctions.register(\"\(name)\", ...) "
                      + "(Keras's custom_objects)",
                  found: "no \(kind) or registered function of that name")
    }

    private static func lossSpec(_ value: JSONValue, owner: String) throws -> LossSpec? {
        if let name = functionName(value) {
            if let body = CustomFunctions.function(named: name) { return .function(name: name, body) }
            guard Registries.losses.contains(name) else { throw unknownFunction(name, kind: "loss", owner: owner) }
            return .name(name)
        }
        switch value {
        case .null: return nil
        case .object(let object) where object["class_name"] != nil: return .loss(try Registries.losses.make(from: value))
        default: throw KeelError("\(owner) field 'loss'", expected: "a loss name or {\"class_name\", \"config\"}", found: value.summary)
        }
    }

    private static func lossesSpec(_ value: JSONValue, outputCount: Int, owner: String) throws -> LossesSpec {
        switch value {
        case .array(let items):
            return .perOutput(try items.map { try lossSpec($0, owner: owner) })
        case .object(let object) where object["class_name"] == nil:
            var table: [String: LossSpec] = [:]
            for (name, item) in object { table[name] = try lossSpec(item, owner: owner) }
            return .byName(table)
        default:
            guard let spec = try lossSpec(value, owner: owner) else {
                return .perOutput(Array(repeating: nil, count: outputCount))
            }
            return .all(spec)
        }
    }

    private static func metricSpec(_ value: JSONValue, owner: String) throws -> MetricSpec {
        if let name = functionName(value) {
            if let body = CustomFunctions.function(named: name) { return .function(name: name, body) }
            do { try Metrics.checkResolvable(name) } catch { throw unknownFunction(name, kind: "metric", owner: owner) }
            return .name(name)
        }
        switch value {
        case .object(let object) where object["class_name"] != nil: return .metric(try Registries.metrics.make(from: value))
        default: throw KeelError("\(owner) metric", expected: "a metric name or {\"class_name\", \"config\"}", found: value.summary)
        }
    }

    private static func metricList(_ value: JSONValue, owner: String) throws -> [MetricSpec] {
        switch value {
        case .null: return []
        case .array(let items): return try items.map { try metricSpec($0, owner: owner) }
        default: return [try metricSpec(value, owner: owner)]
        }
    }

    private static func metricsSpec(_ value: JSONValue, owner: String) throws -> MetricsSpec {
        switch value {
        case .null: return .all([])
        case .array(let items) where items.contains(where: { $0.arrayValue != nil }):
            return .perOutput(try items.map { try metricList($0, owner: owner) })
        case .object(let object) where object["class_name"] == nil:
            var table: [String: [MetricSpec]] = [:]
            for (name, item) in object { table[name] = try metricList(item, owner: owner) }
            return .byName(table)
        default:
            return .all(try metricList(value, owner: owner))
        }
    }

    private static func lossWeightsTable(_ value: JSONValue, outputNames: [String], owner: String) throws -> [String: Float]? {
        func weight(_ item: JSONValue) throws -> Float {
            guard let number = item.doubleValue else {
                throw KeelError("\(owner) field 'loss_weights'", expected: "numbers", found: item.summary)
            }
            return Float(number)
        }
        switch value {
        case .null: return nil
        case .array(let items):
            guard items.count == outputNames.count else {
                throw KeelError("\(owner) field 'loss_weights'", expected: "\(outputNames.count) weights, one per output",
                                found: value.summary)
            }
            return Dictionary(uniqueKeysWithValues: try zip(outputNames, items).map { ($0, try weight($1)) })
        case .object(let object):
            return Dictionary(uniqueKeysWithValues: try object.map { ($0.key, try weight($0.value)) })
        default:
            guard outputNames.count == 1 else {
                throw KeelError("\(owner) field 'loss_weights'", expected: "one weight per output", found: value.summary)
            }
            return [outputNames[0]: try weight(value)]
        }
    }
}
