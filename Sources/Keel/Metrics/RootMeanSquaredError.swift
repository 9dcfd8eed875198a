extension Metrics {
    /// Keras `RootMeanSquaredError`: the square root of the running weighted mean of squared
    /// errors (each sample's squared errors averaged over its non-batch axes), not a mean of
    /// per-batch roots.
    public final class RootMeanSquaredError: Mean {
        public override class var kerasClassName: String { "RootMeanSquaredError" }
        public override class var defaultName: String? { "root_mean_squared_error" }

        public override var higherIsBetter: Bool { false }

        public override func updateState(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor? = nil) {
            let (t, p) = LossMath.aligned(stopGradient(yTrue), stopGradient(yPred))
            updateState(values: (p - t).squared(), sampleWeight: sampleWeight)
        }

        public override func result() -> Tensor { super.result().sqrt() }
    }
}
