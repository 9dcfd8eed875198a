extension Metrics {
    /// The shared shape of Keras's `SensitivitySpecificityBase` (confusion_metrics.py): the four
    /// confusion counts at `num_thresholds` evenly spaced thresholds 0, 1/(n−1), ..., 1 (0.5 alone
    /// for n = 1), and the best value of one rate among the thresholds where another rate reaches
    /// the target (0 where none does). A subclass declares the Keras fields and says which rates.
    public class RateAtRateMetric: Metric {
        var classIDSetting: Int? { nil }
        var numThresholdsSetting: Int { 200 }
        /// The target the constrained rate must reach.
        var targetSetting: Double { 0 }
        /// (constrained, maximised) rates from tp, fp, tn, fn at one threshold.
        class func rates(tp: Float, fp: Float, tn: Float, fn: Float) -> (constrained: Float, maximised: Float) {
            OpCheck.fail("\(self) must say which rates it compares")
        }

        private var counts: ConfusionMatrixVariables?
        private var thresholds: [Double] = []

        public override func didConfigure() {
            super.didConfigure()
            counts = nil
            guard configurationIsValid else { return }
            let n = numThresholdsSetting
            if n == 1 {
                thresholds = [0.5]
            } else {
                let inner: [Double] = (0..<(n - 2)).map { Double($0 + 1) * 1.0 / Double(n - 1) }
                thresholds = [0.0] + inner + [1.0]
            }
            counts = ConfusionMatrixVariables(
                truePositives: addVariable(name: "true_positives", shape: [n]),
                falsePositives: addVariable(name: "false_positives", shape: [n]),
                trueNegatives: addVariable(name: "true_negatives", shape: [n]),
                falseNegatives: addVariable(name: "false_negatives", shape: [n]))
        }

        public override func checkInputs(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor?) throws {
            let owner = "\(Self.kerasClassName) '\(name)'"
            let (p, t) = squeezeOrExpandToSameRank(yPred, yTrue)
            guard let broadcast = ShapeMath.broadcast(t.shape, p.shape), broadcast == p.shape else {
                throw KeelError("\(owner): y_true and y_pred", expected: "labels shaped like the predictions",
                                found: "y_true \(yTrue.shape), y_pred \(yPred.shape)")
            }
            if let classID = classIDSetting, p.rank < 2 || classID >= p.shape[p.rank - 1] {
                throw KeelError("\(owner): y_pred", expected: "a last axis with class \(classID) (class_id)",
                                found: "shape \(yPred.shape)")
            }
            if let sampleWeight, sampleWeight.count != 1 && sampleWeight.count != p.shape.first {
                throw KeelError("\(owner): sample_weight", expected: "one weight per sample (\(p.shape.first ?? 1))",
                                found: "shape \(sampleWeight.shape)")
            }
        }

        public override func updateState(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor? = nil) {
            guard let counts else { stopForInvalidConfiguration() }
            stopOnBadInputs(yTrue: yTrue, yPred: yPred, sampleWeight: sampleWeight)
            ConfusionMatrixUpdate.update(
                counts, yTrue: yTrue, yPred: yPred, sampleWeight: sampleWeight,
                options: .init(thresholds: thresholds, distributedEvenly: numThresholdsSetting > 1, classID: classIDSetting))
        }

        public override func result() -> Tensor {
            guard let counts else { stopForInvalidConfiguration() }
            let tp = counts.truePositives!.value.scalars, fp = counts.falsePositives!.value.scalars
            let tn = counts.trueNegatives!.value.scalars, fn = counts.falseNegatives!.value.scalars
            let target = Float(targetSetting)
            var best: Float = 0
            for i in tp.indices {
                let (constrained, maximised) = Self.rates(tp: tp[i], fp: fp[i], tn: tn[i], fn: fn[i])
                if constrained >= target { best = Swift.max(best, maximised) }
            }
            return Tensor(best)
        }

        static func recallRate(_ tp: Float, _ fn: Float) -> Float { Metric.dividedNoNaN(tp, tp + fn) }
        static func precisionRate(_ tp: Float, _ fp: Float) -> Float { Metric.dividedNoNaN(tp, tp + fp) }
        static func specificityRate(_ tn: Float, _ fp: Float) -> Float { Metric.dividedNoNaN(tn, tn + fp) }
    }

    /// Keras `PrecisionAtRecall`: the best precision among thresholds whose recall is at least `recall`.
    @Component(.metric)
    public final class PrecisionAtRecall: RateAtRateMetric {
        public override class var kerasClassName: String { "PrecisionAtRecall" }
        @Hyper("class_id", .whenSet(.nonNegative)) public var classID: Int? = nil
        @Hyper("num_thresholds", .size) public var numThresholds = 200
        @Hyper("recall", .inRange(0...1)) public var recall: Double

        override var classIDSetting: Int? { classID }
        override var numThresholdsSetting: Int { numThresholds }
        override var targetSetting: Double { recall }
        override class func rates(tp: Float, fp: Float, tn: Float, fn: Float) -> (constrained: Float, maximised: Float) {
            (recallRate(tp, fn), precisionRate(tp, fp))
        }
    }

    /// Keras `RecallAtPrecision`: the best recall among thresholds whose precision is at least `precision`.
    @Component(.metric)
    public final class RecallAtPrecision: RateAtRateMetric {
        public override class var kerasClassName: String { "RecallAtPrecision" }
        @Hyper("class_id", .whenSet(.nonNegative)) public var classID: Int? = nil
        @Hyper("num_thresholds", .size) public var numThresholds = 200
        @Hyper("precision", .inRange(0...1)) public var precision: Double

        override var classIDSetting: Int? { classID }
        override var numThresholdsSetting: Int { numThresholds }
        override var targetSetting: Double { precision }
        override class func rates(tp: Float, fp: Float, tn: Float, fn: Float) -> (constrained: Float, maximised: Float) {
            (precisionRate(tp, fp), recallRate(tp, fn))
        }
    }

    /// Keras `SensitivityAtSpecificity`: the best sensitivity (recall) among thresholds whose
    /// specificity is at least `specificity`.
    @Component(.metric)
    public final class SensitivityAtSpecificity: RateAtRateMetric {
        public override class var kerasClassName: String { "SensitivityAtSpecificity" }
        @Hyper("class_id", .whenSet(.nonNegative)) public var classID: Int? = nil
        @Hyper("num_thresholds", .size) public var numThresholds = 200
        @Hyper("specificity", .inRange(0...1)) public var specificity: Double

        override var classIDSetting: Int? { classID }
        override var numThresholdsSetting: Int { numThresholds }
        override var targetSetting: Double { specificity }
        override class func rates(tp: Float, fp: Float, tn: Float, fn: Float) -> (constrained: Float, maximised: Float) {
            (specificityRate(tn, fp), recallRate(tp, fn))
        }
    }

    /// Keras `SpecificityAtSensitivity`: the best specificity among thresholds whose sensitivity
    /// (recall) is at least `sensitivity`.
    @Component(.metric)
    public final class SpecificityAtSensitivity: RateAtRateMetric {
        public override class var kerasClassName: String { "SpecificityAtSensitivity" }
        @Hyper("class_id", .whenSet(.nonNegative)) public var classID: Int? = nil
        @Hyper("num_thresholds", .size) public var numThresholds = 200
        @Hyper("sensitivity", .inRange(0...1)) public var sensitivity: Double

        override var classIDSetting: Int? { classID }
        override var numThresholdsSetting: Int { numThresholds }
        override var targetSetting: Double { sensitivity }
        override class func rates(tp: Float, fp: Float, tn: Float, fn: Float) -> (constrained: Float, maximised: Float) {
            (recallRate(tp, fn), specificityRate(tn, fp))
        }
    }
}
