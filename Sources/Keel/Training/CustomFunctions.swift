import Foundation

/// A function of (y_true, y_pred) giving per-sample values: a loss or a metric written in Swift.
public typealias TargetFunction = (Tensor, Tensor) throws -> Tensor

/// The loss and metric functions a saved model may name (Keras's custom objects). A model
/// compiled with `.function(name: "focal_loss_fixed") { ... }` is saved with that name only, as
/// Keras saves a Python function by its `__name__`; loading it needs the function again. Register
/// it first, as Keras's `custom_objects` or `register_keras_serializable` give it back:
///
///     CustomFunctions.register("focal_loss_fixed", focalLossFixed)
///     let model = try Model.load(from: "model.h5")   // compiled with that loss again
///
/// Without it, loading for training is a `KeelError` naming the function (Keras raises too);
/// loading for inference leaves the model uncompiled, with a warning.
public enum CustomFunctions {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var functions: [String: TargetFunction] = [:]

    /// Registers `body` under `name`; a name registered again gets the new function.
    public static func register(_ name: String, _ body: @escaping TargetFunction) {
        lock.withLock { functions[name] = body }
    }

    /// Forgets the function registered under `name`.
    public static func unregister(_ name: String) {
        lock.withLock { functions[name] = nil }
    }

    /// The function registered under `name`, if any.
    public static func function(named name: String) -> TargetFunction? {
        lock.withLock { functions[name] }
    }
}

/// A metric given to `compile` as a function (Keras wraps one in `MeanMetricWrapper`, named by the
/// function): the weighted running mean of its per-sample values, logged under `name`.
/// y_true and y_pred reach the function as the batch gives them, as in Keras.
final class FunctionMetric: Metrics.MeanMetricWrapper {
    private var body: TargetFunction = { yTrue, _ in yTrue }

    convenience init(name: String, _ body: @escaping TargetFunction) {
        self.init(name: name)
        self.body = body
    }

    override func values(yTrue: Tensor, yPred: Tensor) -> Tensor {
        // A function that throws is a mistake in the program, reported as ops report theirs.
        do { return try body(yTrue, yPred) } catch { OpCheck.fail("metric function '\(name)': \(error)") }
    }
}
