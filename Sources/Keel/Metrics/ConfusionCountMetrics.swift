extension Metrics {
    /// Keras's `_ConfusionMatrixConditionCount`: the weighted number of true positives (or false
    /// positives, true negatives, false negatives) at each threshold, in the state variable
    /// `accumulator`; the result is a scalar for one threshold.
    public class ConfusionMatrixConditionCount: Metric {
        enum Condition { case truePositives, falsePositives, trueNegatives, falseNegatives }

        private let condition: Condition
        private let thresholdList: ThresholdList
        private var accumulator: Variable!

        /// The thresholds in effect (0.5 unless given).
        public var thresholds: [Double] { thresholdList.values }

        init(condition: Condition, className: String, thresholdList: ThresholdList, name: String?) {
            self.condition = condition
            self.thresholdList = thresholdList
            super.init(name: name ?? Metric.automaticName(for: className))
            accumulator = addVariable(name: "accumulator", shape: [thresholdList.values.count])
        }

        static func thresholdList(fromConfig config: JSONObject, className: String) throws -> (ThresholdList, String?) {
            let fields = try MetricConfig(config, className: className, ownFields: ["thresholds"])
            return (try ThresholdList(config: fields.reader, default: 0.5), fields.name)
        }

        public override var config: JSONObject { config(adding: ["thresholds": thresholdList.configValue]) }

        public override func updateState(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor? = nil) {
            var target = ConfusionMatrixVariables()
            switch condition {
            case .truePositives: target.truePositives = accumulator
            case .falsePositives: target.falsePositives = accumulator
            case .trueNegatives: target.trueNegatives = accumulator
            case .falseNegatives: target.falseNegatives = accumulator
            }
            ConfusionMatrixUpdate.update(target, yTrue: yTrue, yPred: yPred, sampleWeight: sampleWeight,
                                         options: .init(thresholds: thresholdList.values,
                                                        distributedEvenly: thresholdList.distributedEvenly))
        }

        public override func result() -> Tensor {
            let counts = accumulator.value
            return counts.count == 1 ? Tensor(counts.scalars[0]) : counts
        }
    }

    /// Keras `TruePositives`.
    public final class TruePositives: ConfusionMatrixConditionCount {
        public override class var kerasClassName: String { "TruePositives" }
        public init(thresholds: [Double]? = nil, name: String? = nil) {
            super.init(condition: .truePositives, className: "TruePositives",
                       thresholdList: ThresholdList(thresholds, asList: true, default: 0.5), name: name)
        }
        public init(config: JSONObject) throws {
            let (list, name) = try Self.thresholdList(fromConfig: config, className: "TruePositives")
            super.init(condition: .truePositives, className: "TruePositives", thresholdList: list, name: name)
        }
    }

    /// Keras `FalsePositives`.
    public final class FalsePositives: ConfusionMatrixConditionCount {
        public override class var kerasClassName: String { "FalsePositives" }
        public init(thresholds: [Double]? = nil, name: String? = nil) {
            super.init(condition: .falsePositives, className: "FalsePositives",
                       thresholdList: ThresholdList(thresholds, asList: true, default: 0.5), name: name)
        }
        public init(config: JSONObject) throws {
            let (list, name) = try Self.thresholdList(fromConfig: config, className: "FalsePositives")
            super.init(condition: .falsePositives, className: "FalsePositives", thresholdList: list, name: name)
        }
    }

    /// Keras `TrueNegatives`.
    public final class TrueNegatives: ConfusionMatrixConditionCount {
        public override class var kerasClassName: String { "TrueNegatives" }
        public init(thresholds: [Double]? = nil, name: String? = nil) {
            super.init(condition: .trueNegatives, className: "TrueNegatives",
                       thresholdList: ThresholdList(thresholds, asList: true, default: 0.5), name: name)
        }
        public init(config: JSONObject) throws {
            let (list, name) = try Self.thresholdList(fromConfig: config, className: "TrueNegatives")
            super.init(condition: .trueNegatives, className: "TrueNegatives", thresholdList: list, name: name)
        }
    }

    /// Keras `FalseNegatives`.
    public final class FalseNegatives: ConfusionMatrixConditionCount {
        public override class var kerasClassName: String { "FalseNegatives" }
        public init(thresholds: [Double]? = nil, name: String? = nil) {
            super.init(condition: .falseNegatives, className: "FalseNegatives",
                       thresholdList: ThresholdList(thresholds, asList: true, default: 0.5), name: name)
        }
        public init(config: JSONObject) throws {
            let (list, name) = try Self.thresholdList(fromConfig: config, className: "FalseNegatives")
            super.init(condition: .falseNegatives, className: "FalseNegatives", thresholdList: list, name: name)
        }
    }
}
