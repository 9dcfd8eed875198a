/// Keel's built-in metrics, namespaced like `keras.metrics` so they do not collide with the
/// losses of the same Keras names: `Metrics.MeanSquaredError()` is the metric,
/// `MeanSquaredError()` the loss. A user-defined metric subclasses `Metric` (or `Metrics.Mean`).
public enum Metrics {}

/// A metric that also accumulates plain values, as Keras's `Mean` and `Sum` take
/// `update_state(values, sample_weight)`.
public protocol ValueAccumulatingMetric: Metric {
    func updateState(values: Tensor, sampleWeight: Tensor?)
}
