extension Metrics {
    /// Keras's `_ConfusionMatrixConditionCount`: the weighted number of true positives (or false
    /// positives, true negatives, false negatives) at each threshold, in the state variable
    /// `accumulator`; the result is a scalar for one threshold. A subclass names its count.
    @Component(.metric)
    public class ConfusionMatrixConditionCount: Metric {
        enum Condition { case truePositives, falsePositives, trueNegatives, falseNegatives }
        class var condition: Condition { OpCheck.fail("\(self) must name the count it keeps") }

        @Hyper("thresholds", .withinZeroAndOne) public var thresholds: MetricThresholds? = nil

        private var accumulator: Variable?

        /// The thresholds in effect (0.5 unless given).
        public var thresholdValues: [Double] { thresholds?.values ?? [0.5] }

        public override func didConfigure() {
            super.didConfigure()
            accumulator = configurationIsValid ? addVariable(name: "accumulator", shape: [thresholdValues.count]) : nil
        }

        public override func updateState(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor? = nil) {
            guard let accumulator else { stopForInvalidConfiguration() }
            var target = ConfusionMatrixVariables()
            switch Self.condition {
            case .truePositives: target.truePositives = accumulator
            case .falsePositives: target.falsePositives = accumulator
            case .trueNegatives: target.trueNegatives = accumulator
            case .falseNegatives: target.falseNegatives = accumulator
            }
            let values = thresholdValues
            ConfusionMatrixUpdate.update(target, yTrue: yTrue, yPred: yPred, sampleWeight: sampleWeight,
                                         options: .init(thresholds: values,
                                                        distributedEvenly: MetricThresholds.areEvenlyDistributed(values)))
        }

        public override func result() -> Tensor {
            guard let counts = accumulator?.value else { stopForInvalidConfiguration() }
            return counts.count == 1 ? Tensor(counts.scalars[0]) : counts
        }
    }

    /// Keras `TruePositives`.
    public final class TruePositives: ConfusionMatrixConditionCount {
        public override class var kerasClassName: String { "TruePositives" }
        override class var condition: Condition { .truePositives }
    }

    /// Keras `FalsePositives`.
    public final class FalsePositives: ConfusionMatrixConditionCount {
        public override class var kerasClassName: String { "FalsePositives" }
        override class var condition: Condition { .falsePositives }
    }

    /// Keras `TrueNegatives`.
    public final class TrueNegatives: ConfusionMatrixConditionCount {
        public override class var kerasClassName: String { "TrueNegatives" }
        override class var condition: Condition { .trueNegatives }
    }

    /// Keras `FalseNegatives`.
    public final class FalseNegatives: ConfusionMatrixConditionCount {
        public override class var kerasClassName: String { "FalseNegatives" }
        override class var condition: Condition { .falseNegatives }
    }
}
