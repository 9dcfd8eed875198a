extension Metrics {
    /// Keras `Mean`: the weighted running mean of the values given, `total / count` with state
    /// variables `total` and `count`. Values with more than one axis are first averaged to one value
    /// per sample (or down to the rank of the sample weights).
    open class Mean: Metric, ValueAccumulatingMetric {
        open override class var kerasClassName: String { "Mean" }
        open override class var defaultName: String? { "mean" }
        public private(set) var total: Variable!
        public private(set) var count: Variable!

        open override func didConfigure() {
            super.didConfigure()
            total = addVariable(name: "total")
            count = addVariable(name: "count")
        }

        open func updateState(values: Tensor, sampleWeight: Tensor? = nil) {
            let (perSample, weights) = SampleReduction.reduce(stopGradient(values),
                                                              sampleWeight: sampleWeight.map(stopGradient), by: .mean)
            let samples: Float
            if let weights {
                samples = weights.sum().scalar
            } else {
                samples = perSample.rank >= 1 ? Float(perSample.shape[0]) : 1
            }
            total.assignAdd(perSample.sum())
            count.assignAdd(Tensor(samples))
        }

        open override func result() -> Tensor {
            Tensor(Metric.dividedNoNaN(total.value.scalar, count.value.scalar))
        }
    }

    /// Keras `Sum`: the weighted running sum of the values given, in the state variable `total`.
    public final class Sum: Metric, ValueAccumulatingMetric {
        public override class var kerasClassName: String { "Sum" }
        public override class var defaultName: String? { "sum" }
        private var total: Variable!

        public override func didConfigure() {
            super.didConfigure()
            total = addVariable(name: "total")
        }

        public func updateState(values: Tensor, sampleWeight: Tensor? = nil) {
            let (perSample, _) = SampleReduction.reduce(stopGradient(values), sampleWeight: sampleWeight.map(stopGradient),
                                                        by: .sum)
            total.assignAdd(perSample.sum())
        }

        public override func result() -> Tensor { Tensor(total.value.scalar) }
    }
}
