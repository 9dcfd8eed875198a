/// The process-wide registries. Built-ins are registered the first time a registry is used;
/// plugins add theirs when they load. There is exactly one set per process because the engine
/// is one shared library (see DESIGN.md).
public enum Registries {
    public static let layers: Registry<Layer> = builtIn("layer", BuiltInLayers.register)
    public static let losses: Registry<Loss> = builtIn("loss", BuiltInLosses.register)
    public static let metrics: Registry<Metric> = builtIn("metric", BuiltInMetrics.register)
    public static let optimizers: Registry<Optimizer> = builtIn("optimizer", BuiltInOptimizers.register)
    public static let schedules: Registry<LearningRateSchedule> = builtIn("learning-rate schedule", BuiltInSchedules.register)
    public static let initializers: Registry<Initializer> = builtIn("initializer", BuiltInInitializers.register)
    public static let regularizers: Registry<Regularizer> = builtIn("regularizer", BuiltInRegularizers.register)
    public static let constraints: Registry<Constraint> = builtIn("constraint", BuiltInConstraints.register)
    /// Callbacks by Keras class name, built from the keyword arguments of their Keras constructor
    /// (`{"monitor": "val_loss", "patience": 2}`). Callbacks whose arguments are functions
    /// (LambdaCallback's hooks, GANMonitor) are made in code; from a config a
    /// LearningRateScheduler takes a schedule object instead of a function.
    public static let callbacks: Registry<Callback> = builtIn("callback", BuiltInCallbacks.register)
    public static let activations: Registry<Activation> = builtIn("activation", BuiltInActivations.register)
    /// Experiments come only from plugins (the Experiments/ folder holds Keel's own).
    public static let experiments = Registry<Experiment>(kind: "experiment")

    /// Appended to every "unknown <kind>" error when set: the plugin host says which folders it
    /// searched and which plugins failed to load, so a component a plugin should bring says where
    /// Keel looked for it.
    nonisolated(unsafe) public static var unknownNameNote: () -> String? = { nil }

    private static func builtIn<T>(_ kind: String, _ register: (Registry<T>) throws -> Void) -> Registry<T> {
        let registry = Registry<T>(kind: kind)
        do {
            try register(registry)
        } catch {
            OpCheck.fail("Keel's built-in \(kind)s could not be registered: \(error)")
        }
        return registry
    }
}
