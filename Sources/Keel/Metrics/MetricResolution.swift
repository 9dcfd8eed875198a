extension Metrics {
    /// The metric a string in `compile(metrics: [...])` stands for, named by that string (so
    /// `"acc"` logs as `acc` and `val_acc`), as Keras's `get_metric` resolves it:
    ///
    /// - `"accuracy"`/`"acc"` (and tf.keras's `"crossentropy"`/`"ce"`) are chosen from the shapes:
    ///   binary when y_pred's last dimension is 1; sparse when y_true has a lower rank than y_pred
    ///   or ends in 1 while y_pred does not; categorical otherwise.
    /// - any other name is looked up in the metric registry (`"mse"`, `"auc"`, `"Precision"`, ...);
    /// - a name only the loss registry knows (`"huber"`, `"log_cosh"`, ...) becomes the running
    ///   mean of that loss function.
    public static func resolve(_ name: String, yTrueShape: [Int], yPredShape: [Int]) throws -> Metric {
        let lowered = name.lowercased()
        if shapeResolvedNames.contains(lowered) {
            let kind = LabelKind(yTrueShape: yTrueShape, yPredShape: yPredShape)
            if lowered == "accuracy" || lowered == "acc" {
                switch kind {
                case .binary: return BinaryAccuracy(name: name)
                case .sparseCategorical: return SparseCategoricalAccuracy(name: name)
                case .categorical: return CategoricalAccuracy(name: name)
                }
            }
            switch kind {
            case .binary: return BinaryCrossentropy(name: name)
            case .sparseCategorical: return SparseCategoricalCrossentropy(name: name)
            case .categorical: return CategoricalCrossentropy(name: name)
            }
        }
        if Registries.metrics.contains(name) {
            // Built-ins take their name from the config; a plugin's metric may not, and is renamed.
            if let named = try? Registries.metrics.make(name, config: ["name": .string(name)]) { return named }
            let metric = try Registries.metrics.make(name)
            metric.name = name
            return metric
        }
        if Registries.losses.contains(name) {
            return MeanMetricWrapper(loss: try Registries.losses.make(name), name: name)
        }
        throw Registries.metrics.unknown(name)
    }

    /// The names whose metric depends on the data's shapes (compared lower-cased).
    static let shapeResolvedNames: Set<String> = ["accuracy", "acc", "crossentropy", "ce"]

    /// Throws what `resolve` would throw for a name it can never resolve (the registry's error,
    /// listing the closest names), so `compile` rejects it before any data is seen.
    public static func checkResolvable(_ name: String) throws {
        guard shapeResolvedNames.contains(name.lowercased()) || Registries.metrics.contains(name)
                || Registries.losses.contains(name) else {
            throw Registries.metrics.unknown(name)
        }
    }

    /// What the shapes of y_true and y_pred say about the labels (Keras's
    /// `is_binary_or_sparse_categorical`).
    enum LabelKind {
        case binary, sparseCategorical, categorical

        init(yTrueShape: [Int], yPredShape: [Int]) {
            if yPredShape.last == 1 {
                self = .binary
            } else if yTrueShape.count < yPredShape.count || (yTrueShape.last == 1 && (yPredShape.last ?? 0) > 1) {
                self = .sparseCategorical
            } else {
                self = .categorical
            }
        }
    }
}
