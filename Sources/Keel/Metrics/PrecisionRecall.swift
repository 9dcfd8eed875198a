extension Metrics {
    /// The shared shape of Keras's `Precision` and `Recall`: true positives over true positives
    /// plus one other confusion count, at each threshold (a scalar for one threshold). With `topK`
    /// only the k highest predictions of a sample count as positive; with `classID` only that
    /// class is scored. A subclass names its Keras class and which count is the other one.
    @Component(.metric)
    public class ConfusionRatioMetric: Metric {
        /// `false_positives` (precision) or `false_negatives` (recall).
        class var otherCountName: String { OpCheck.fail("\(self) must name its other count") }

        @Hyper("thresholds", .withinZeroAndOne) public var thresholds: MetricThresholds? = nil
        @Hyper("top_k", .whenSet(.positive)) public var topK: Int? = nil
        @Hyper("class_id", .whenSet(.nonNegative)) public var classID: Int? = nil

        private var truePositives: Variable?
        private var otherCount: Variable?

        /// The thresholds in effect: 0.5 unless given, or Keras's `NEG_INF` with `topK` (every
        /// kept score counts).
        public var thresholdValues: [Double] {
            thresholds?.values ?? [topK == nil ? 0.5 : Double(ConfusionMatrixUpdate.negativeInfinity)]
        }

        public override func didConfigure() {
            super.didConfigure()
            guard configurationIsValid else { truePositives = nil; otherCount = nil; return }
            truePositives = addVariable(name: "true_positives", shape: [thresholdValues.count])
            otherCount = addVariable(name: Self.otherCountName, shape: [thresholdValues.count])
        }

        public override func updateState(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor? = nil) {
            guard let truePositives, let otherCount else { stopForInvalidConfiguration() }
            let variables = Self.otherCountName == "false_positives"
                ? ConfusionMatrixVariables(truePositives: truePositives, falsePositives: otherCount)
                : ConfusionMatrixVariables(truePositives: truePositives, falseNegatives: otherCount)
            let values = thresholdValues
            ConfusionMatrixUpdate.update(
                variables, yTrue: yTrue, yPred: yPred, sampleWeight: sampleWeight,
                options: .init(thresholds: values, distributedEvenly: MetricThresholds.areEvenlyDistributed(values),
                               topK: topK, classID: classID))
        }

        public override func result() -> Tensor {
            guard let truePositives, let otherCount else { stopForInvalidConfiguration() }
            return ConfusionRatio.perThreshold(truePositives, otherCount)
        }
    }

    /// Keras `Precision`: tp / (tp + fp), state `true_positives`, `false_positives`.
    public final class Precision: ConfusionRatioMetric {
        public override class var kerasClassName: String { "Precision" }
        override class var otherCountName: String { "false_positives" }
    }

    /// Keras `Recall`: tp / (tp + fn), state `true_positives`, `false_negatives`.
    public final class Recall: ConfusionRatioMetric {
        public override class var kerasClassName: String { "Recall" }
        override class var otherCountName: String { "false_negatives" }
    }
}
