/// Registers Keel's built-in LearningRateSchedules under their Keras class names and aliases.
enum BuiltInSchedules {
    static func register(_ registry: Registry<LearningRateSchedule>) throws {
    }
}
