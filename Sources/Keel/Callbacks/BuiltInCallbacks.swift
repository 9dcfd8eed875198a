/// Registers Keel's built-in callbacks under their Keras class names.
enum BuiltInCallbacks {
    static func register(_ registry: Registry<Callback>) throws {
        try registry.register(EarlyStopping.self)
        try registry.register(ReduceLROnPlateau.self)
        try registry.register(ModelCheckpoint.self)
        try registry.register(BackupAndRestore.self)
        try registry.register(CSVLogger.self)
        try registry.register(TensorBoard.self)
        try registry.register(LearningRateScheduler.self)
        try registry.register(TerminateOnNaN.self)
        try registry.register(LambdaCallback.self)
        try registry.register(History.self)
        try registry.register(ProgbarLogger.self)
        try registry.register(LossHistory.self)
        try registry.register(BroadcastGlobalVariables.self)
        try registry.register(MetricAverage.self)
        try registry.register(LearningRateWarmup.self)
    }
}
