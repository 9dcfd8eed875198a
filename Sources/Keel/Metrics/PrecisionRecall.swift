extension Metrics {
    /// Keras `Precision`: tp / (tp + fp) at each threshold (a scalar for one threshold), with
    /// state variables `true_positives` and `false_positives`. With `topK` only the k highest
    /// predictions of a sample count as positive; with `classID` only that class is scored.
    public final class Precision: Metric {
        public override class var kerasClassName: String { "Precision" }
        public let topK: Int?
        public let classID: Int?
        private let thresholdList: ThresholdList
        private var truePositives: Variable!
        private var falsePositives: Variable!

        /// The thresholds in effect (0.5 unless given; unbounded below with `topK`).
        public var thresholds: [Double] { thresholdList.values }

        init(thresholdList: ThresholdList, topK: Int?, classID: Int?, name: String?) {
            self.thresholdList = thresholdList
            self.topK = topK
            self.classID = classID
            super.init(name: name ?? Metric.automaticName(for: "Precision"))
            truePositives = addVariable(name: "true_positives", shape: [thresholdList.values.count])
            falsePositives = addVariable(name: "false_positives", shape: [thresholdList.values.count])
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
            let fields = try MetricConfig(config, className: "Precision", ownFields: ["thresholds", "top_k", "class_id"])
            let topK = try fields.reader.optionalInt("top_k")
            let list = try ThresholdList(config: fields.reader, default: Metrics.defaultThreshold(topK: topK))
            self.init(thresholdList: list, topK: topK, classID: try fields.reader.optionalInt("class_id"), name: fields.name)
        }

        public override var config: JSONObject {
            config(adding: ["thresholds": thresholdList.configValue, "top_k": topK.map { .int($0) } ?? .null,
                            "class_id": classID.map { .int($0) } ?? .null])
        }

        public override func updateState(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor? = nil) {
            ConfusionMatrixUpdate.update(
                ConfusionMatrixVariables(truePositives: truePositives, falsePositives: falsePositives),
                yTrue: yTrue, yPred: yPred, sampleWeight: sampleWeight,
                options: .init(thresholds: thresholdList.values, distributedEvenly: thresholdList.distributedEvenly,
                               topK: topK, classID: classID))
        }

        public override func result() -> Tensor { ConfusionRatio.perThreshold(truePositives, falsePositives) }
    }

    /// Keras `Recall`: tp / (tp + fn) at each threshold (a scalar for one threshold), with state
    /// variables `true_positives` and `false_negatives`; `topK` and `classID` as for `Precision`.
    public final class Recall: Metric {
        public override class var kerasClassName: String { "Recall" }
        public let topK: Int?
        public let classID: Int?
        private let thresholdList: ThresholdList
        private var truePositives: Variable!
        private var falseNegatives: Variable!

        /// The thresholds in effect (0.5 unless given; unbounded below with `topK`).
        public var thresholds: [Double] { thresholdList.values }

        init(thresholdList: ThresholdList, topK: Int?, classID: Int?, name: String?) {
            self.thresholdList = thresholdList
            self.topK = topK
            self.classID = classID
            super.init(name: name ?? Metric.automaticName(for: "Recall"))
            truePositives = addVariable(name: "true_positives", shape: [thresholdList.values.count])
            falseNegatives = addVariable(name: "false_negatives", shape: [thresholdList.values.count])
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
            let fields = try MetricConfig(config, className: "Recall", ownFields: ["thresholds", "top_k", "class_id"])
            let topK = try fields.reader.optionalInt("top_k")
            let list = try ThresholdList(config: fields.reader, default: Metrics.defaultThreshold(topK: topK))
            self.init(thresholdList: list, topK: topK, classID: try fields.reader.optionalInt("class_id"), name: fields.name)
        }

        public override var config: JSONObject {
            config(adding: ["thresholds": thresholdList.configValue, "top_k": topK.map { .int($0) } ?? .null,
                            "class_id": classID.map { .int($0) } ?? .null])
        }

        public override func updateState(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor? = nil) {
            ConfusionMatrixUpdate.update(
                ConfusionMatrixVariables(truePositives: truePositives, falseNegatives: falseNegatives),
                yTrue: yTrue, yPred: yPred, sampleWeight: sampleWeight,
                options: .init(thresholds: thresholdList.values, distributedEvenly: thresholdList.distributedEvenly,
                               topK: topK, classID: classID))
        }

        public override func result() -> Tensor { ConfusionRatio.perThreshold(truePositives, falseNegatives) }
    }

    /// Keras's default decision threshold: 0.5, or `NEG_INF` with top-k (every kept score counts).
    static func defaultThreshold(topK: Int?) -> Double {
        topK == nil ? 0.5 : Double(ConfusionMatrixUpdate.negativeInfinity)
    }
}
