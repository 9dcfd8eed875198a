/// What a plugin's entry point receives: it adds the plugin's components to the engine's
/// registries, each marked with the plugin's name so a clash names both sides.
public final class PluginRegistrar {
    public let pluginName: String
    /// Why registration failed, set by `keelPluginMain`; read by the host.
    public internal(set) var failure: String?
    public private(set) var registered: [String] = []

    init(pluginName: String) { self.pluginName = pluginName }

    public func addExperiment(_ type: Experiment.Type) throws {
        try Registries.experiments.register(type.name, origin: pluginName) { _ in type.init() }
        registered.append("experiment \(type.name)")
    }

    public func addLayer<T: Layer & ConfigConstructible>(_ type: T.Type, aliases: [String] = []) throws {
        try add(type, to: Registries.layers, aliases: aliases)
    }

    public func addLoss<T: Loss & ConfigConstructible>(_ type: T.Type, aliases: [String] = []) throws {
        try add(type, to: Registries.losses, aliases: aliases)
    }

    public func addMetric<T: Metric & ConfigConstructible>(_ type: T.Type, aliases: [String] = []) throws {
        try add(type, to: Registries.metrics, aliases: aliases)
    }

    public func addSchedule<T: LearningRateSchedule & ConfigConstructible>(_ type: T.Type, aliases: [String] = []) throws {
        try add(type, to: Registries.schedules, aliases: aliases)
    }

    private func add<T: ConfigConstructible, Family>(_ type: T.Type, to registry: Registry<Family>, aliases: [String]) throws {
        try registry.register(type, aliases: aliases, origin: pluginName)
        registered.append("\(registry.kind) \(T.kerasClassName)")
    }

    public func addLayer(_ className: String, aliases: [String] = [], make: @escaping (JSONObject) throws -> Layer) throws {
        try Registries.layers.register(className, aliases: aliases, origin: pluginName, make: make)
        registered.append("layer \(className)")
    }

    public func addLoss(_ className: String, aliases: [String] = [], make: @escaping (JSONObject) throws -> Loss) throws {
        try Registries.losses.register(className, aliases: aliases, origin: pluginName, make: make)
        registered.append("loss \(className)")
    }

    public func addMetric(_ className: String, aliases: [String] = [], make: @escaping (JSONObject) throws -> Metric) throws {
        try Registries.metrics.register(className, aliases: aliases, origin: pluginName, make: make)
        registered.append("metric \(className)")
    }

    public func addOptimizer<T: Optimizer>(_ type: T.Type, aliases: [String] = []) throws {
        try add(type, to: Registries.optimizers, aliases: aliases)
    }

    public func addActivation(_ name: String, _ function: @escaping (Tensor) -> Tensor) throws {
        let activation = Activation(name: name, apply: function)
        try Registries.activations.register(name, origin: pluginName) { _ in activation }
        registered.append("activation \(name)")
    }

    public func addSchedule(_ className: String, make: @escaping (JSONObject) throws -> LearningRateSchedule) throws {
        try Registries.schedules.register(className, origin: pluginName, make: make)
        registered.append("schedule \(className)")
    }
}

/// The body of every plugin's `@_cdecl("keel_plugin_register")` entry: checks that the plugin was
/// compiled against this very engine (`keelPluginBuildIdentity` is generated into each plugin
/// build), then runs `register`. Returns 0 on success; the host reads the reason otherwise.
public func keelPluginMain(_ context: UnsafeMutableRawPointer, builtAgainst identity: String,
                           register: (PluginRegistrar) throws -> Void) -> Int32 {
    let registrar = Unmanaged<PluginRegistrar>.fromOpaque(context).takeUnretainedValue()
    guard identity == Engine.buildIdentity else {
        registrar.failure = "it was built against engine \(identity), but this engine is \(Engine.buildIdentity); rebuild it"
        return 2
    }
    do {
        try register(registrar)
        return 0
    } catch {
        registrar.failure = "\(error)"
        return 1
    }
}
