/// Setting an optimizer's rate from a callback, as Keras's `optimizer.learning_rate = value`.
enum LearningRateAssignment {
    /// Keras refuses to overwrite a LearningRateSchedule with a number (TypeError): so does Keel,
    /// with Keras's explanation.
    static func set(_ rate: Double, on optimizer: Optimizer, by callback: String) throws {
        if case .schedule = optimizer.learningRate {
            throw KeelError("\(callback): optimizer '\(optimizer.name)' was created with a LearningRateSchedule, so its learning rate cannot be set to a number; use a constant learning rate with this callback")
        }
        optimizer.setLearningRate(Float(rate))
    }
}
