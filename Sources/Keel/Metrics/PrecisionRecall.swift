extension Metrics {
    /// The shared shape of Keras's `Precision` and `Recall`: true positives over true positives
    /// plus one other confusion count, at each threshold (a scalar for one threshold). With `topK`
    /// only the k highest predictions of a sample count as positive; with `classID` only that
    /// class is scored. A subclass names its Keras class and which count is the other one.
    public class ConfusionRatioMetric: Metric {
        public let topK: Int?
        public let classID: Int?
        private let thresholdList: ThresholdList
        private var truePositives: Variable!
        private var otherCount: Variable!

        /// `false_positives` (precision) or `false_negatives` (recall).
        class var otherCountName: String { preconditionFailure("\(self) must name its other count") }

        /// The thresholds in effect (0.5 unless given; unbounded below with `topK`).
        public var thresholds: [Double] { thresholdList.values }

        init(thresholdList: ThresholdList, topK: Int?, classID: Int?, name: String?) {
            self.thresholdList = thresholdList
            self.topK = topK
            self.classID = classID
            super.init(name: name ?? Metric.automaticName(for: Self.kerasClassName))
            truePositives = addVariable(name: "true_positives", shape: [thresholdList.values.count])
            otherCount = addVariable(name: Self.otherCountName, shape: [thresholdList.values.count])
        }

        public convenience init(thresholds: [Double]? = nil, topK: Int? = nil, classID: Int? = nil,
                                name: String? = nil) {
            let list = ThresholdList(thresholds, asList: true, default: Metrics.defaultThreshold(topK: topK))
            self.init(thresholdList: list, topK: topK, classID: classID, name: name)
        }

        public convenience init(threshold: Double, topK: Int? = nil, classID: Int? = nil, name: String? = nil) {
            self.init(thresholdList: ThresholdList([threshold], asList: false, default: threshold),
                      topK: topK, classID: classID, name: name)
        }

        public convenience init(config: JSONObject) throws {
            let fields = try MetricConfig(config, className: Self.kerasClassName, ownFields: ["thresholds", "top_k", "class_id"])
            let topK = try fields.reader.optionalInt("top_k")
            let list = try ThresholdList(config: fields.reader, default: Metrics.defaultThreshold(topK: topK))
            self.init(thresholdList: list, topK: topK, classID: try fields.reader.optionalInt("class_id"), name: fields.name)
        }

        public override var config: JSONObject {
            config(adding: ["thresholds": thresholdList.configValue, "top_k": topK.map { .int($0) } ?? .null,
                            "class_id": classID.map { .int($0) } ?? .null])
        }

        public override func updateState(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor? = nil) {
            let variables = Self.otherCountName == "false_positives"
                ? ConfusionMatrixVariables(truePositives: truePositives, falsePositives: otherCount)
                : ConfusionMatrixVariables(truePositives: truePositives, falseNegatives: otherCount)
            ConfusionMatrixUpdate.update(
                variables, yTrue: yTrue, yPred: yPred, sampleWeight: sampleWeight,
                options: .init(thresholds: thresholdList.values, distributedEvenly: thresholdList.distributedEvenly,
                               topK: topK, classID: classID))
        }

        public override func result() -> Tensor { ConfusionRatio.perThreshold(truePositives, otherCount) }
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

    /// Keras's default decision threshold: 0.5, or `NEG_INF` with top-k (every kept score counts).
    static func defaultThreshold(topK: Int?) -> Double {
        topK == nil ? 0.5 : Double(ConfusionMatrixUpdate.negativeInfinity)
    }
}
