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

    // Every family registers by type, as Keel's built-ins do: the class names itself
    // (`kerasClassName`) and builds itself from a config (`init(config:)`).
    public func addLayer<T: Layer>(_ type: T.Type, aliases: [String] = []) throws { try add(type, to: Registries.layers, aliases) }
    public func addLoss<T: Loss>(_ type: T.Type, aliases: [String] = []) throws { try add(type, to: Registries.losses, aliases) }
    public func addMetric<T: Metric>(_ type: T.Type, aliases: [String] = []) throws { try add(type, to: Registries.metrics, aliases) }
    public func addOptimizer<T: Optimizer>(_ type: T.Type, aliases: [String] = []) throws { try add(type, to: Registries.optimizers, aliases) }
    public func addSchedule<T: LearningRateSchedule>(_ type: T.Type, aliases: [String] = []) throws { try add(type, to: Registries.schedules, aliases) }
    public func addInitializer<T: Initializer>(_ type: T.Type, aliases: [String] = []) throws { try add(type, to: Registries.initializers, aliases) }
    public func addRegularizer<T: Regularizer>(_ type: T.Type, aliases: [String] = []) throws { try add(type, to: Registries.regularizers, aliases) }
    public func addConstraint<T: Constraint>(_ type: T.Type, aliases: [String] = []) throws { try add(type, to: Registries.constraints, aliases) }
    public func addCallback<T: Callback>(_ type: T.Type, aliases: [String] = []) throws { try add(type, to: Registries.callbacks, aliases) }

    /// Activations are functions, not classes: registered by name.
    public func addActivation(_ name: String, _ function: @escaping (Tensor) -> Tensor) throws {
        let activation = Activation(name: name, apply: function)
        try Registries.activations.register(name, origin: pluginName) { _ in activation }
        registered.append("activation \(name)")
    }

    private func add<T: ConfigConstructible, Family>(_ type: T.Type, to registry: Registry<Family>, _ aliases: [String]) throws {
        try registry.register(type, aliases: aliases, origin: pluginName)
        registered.append("\(registry.kind) \(T.kerasClassName)")
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
