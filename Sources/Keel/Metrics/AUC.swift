#if canImport(Glibc)
import Glibc
#endif

extension Metrics {
    /// Keras `AUC`: the area under the ROC or precision-recall curve, approximated by a Riemann sum
    /// over `numThresholds` thresholds ([−ε, 1/(n−1), ..., (n−2)/(n−1), 1+ε], or the given ones
    /// between −ε and 1+ε). State variables `true_positives`, `false_positives`,
    /// `true_negatives`, `false_negatives`, each of length n (n × labels with `multiLabel`).
    public final class AUC: Metric {
        public override class var kerasClassName: String { "AUC" }

        public enum Curve: String, Sendable { case roc = "ROC", pr = "PR" }
        public enum SummationMethod: String, Sendable { case interpolation, minoring, majoring }

        public let numThresholds: Int
        public let curve: Curve
        public let summationMethod: SummationMethod
        public let multiLabel: Bool
        public let numLabels: Int?
        public let labelWeights: [Double]?
        public let fromLogits: Bool
        /// Every threshold, the endpoints −ε and 1+ε included.
        public let thresholds: [Double]
        private let thresholdsGiven: Bool
        private let distributedEvenly: Bool
        private var counts: ConfusionMatrixVariables?

        public init(numThresholds: Int = 200, curve: Curve = .roc, summationMethod: SummationMethod = .interpolation,
                    name: String? = nil, thresholds: [Double]? = nil, multiLabel: Bool = false, numLabels: Int? = nil,
                    labelWeights: [Double]? = nil, fromLogits: Bool = false) {
            let epsilon = Double(LossMath.epsilon)
            let inner: [Double]
            if let thresholds {
                inner = thresholds.sorted()
                self.numThresholds = inner.count + 2
                distributedEvenly = ThresholdList.areEvenlyDistributed([0.0] + inner + [1.0])
            } else {
                precondition(numThresholds > 1, "AUC: numThresholds must be greater than 1, found \(numThresholds)")
                inner = (0..<(numThresholds - 2)).map { Double($0 + 1) * 1.0 / Double(numThresholds - 1) }
                self.numThresholds = numThresholds
                distributedEvenly = true
            }
            // Endpoints just outside [0, 1] so predictions of exactly 0 or 1 are counted.
            self.thresholds = [0.0 - epsilon] + inner + [1.0 + epsilon]
            thresholdsGiven = thresholds != nil
            self.curve = curve
            self.summationMethod = summationMethod
            self.multiLabel = multiLabel
            self.numLabels = numLabels
            self.labelWeights = labelWeights
            self.fromLogits = fromLogits
            super.init(name: name ?? Metric.automaticName(for: "AUC"))
            if !multiLabel {
                buildCounts(shape: [self.numThresholds])
            } else if let numLabels {
                buildCounts(shape: [self.numThresholds, numLabels])
            }
        }

        public convenience init(config: JSONObject) throws {
            let fields = try MetricConfig(config, className: "AUC", ownFields: [
                "num_thresholds", "curve", "summation_method", "thresholds", "multi_label", "num_labels",
                "label_weights", "from_logits",
            ])
            let reader = fields.reader
            let numThresholds = try reader.int("num_thresholds", default: 200)
            guard numThresholds > 1 || reader.value("thresholds") != nil else {
                throw KeelError("AUC: field 'num_thresholds'", expected: "an integer greater than 1",
                                found: "\(numThresholds)")
            }
            let curveName = try reader.string("curve", default: "ROC")
            guard ["ROC", "roc", "PR", "pr"].contains(curveName), let curve = Curve(rawValue: curveName.uppercased()) else {
                throw KeelError("AUC: field 'curve'", expected: "ROC or PR", found: curveName)
            }
            let summationName = try reader.string("summation_method", default: "interpolation")
            guard let summation = SummationMethod(rawValue: summationName.lowercased()),
                  summationName == summation.rawValue || summationName == summation.rawValue.capitalized else {
                throw KeelError("AUC: field 'summation_method'", expected: "interpolation, minoring or majoring",
                                found: summationName)
            }
            let multiLabel = try reader.bool("multi_label", default: false)
            let numLabels = try reader.optionalInt("num_labels")
            if numLabels != nil && !multiLabel {
                throw KeelError("AUC: field 'num_labels'", expected: "null unless multi_label is true",
                                found: "\(numLabels!)")
            }
            self.init(numThresholds: numThresholds, curve: curve, summationMethod: summation, name: fields.name,
                      thresholds: reader.value("thresholds") == nil ? nil : try reader.doubles("thresholds"),
                      multiLabel: multiLabel, numLabels: numLabels,
                      labelWeights: reader.value("label_weights") == nil ? nil : try reader.doubles("label_weights"),
                      fromLogits: try reader.bool("from_logits", default: false))
        }

        public override var config: JSONObject {
            var object = config(adding: [
                "num_thresholds": .int(numThresholds), "curve": .string(curve.rawValue),
                "summation_method": .string(summationMethod.rawValue), "multi_label": .bool(multiLabel),
                "num_labels": numLabels.map { .int($0) } ?? .null,
                "label_weights": labelWeights.map { .array($0.map { .double($0) }) } ?? .null,
                "from_logits": .bool(fromLogits),
            ])
            // Keras writes given thresholds back without the endpoints it added.
            if thresholdsGiven { object["thresholds"] = .array(thresholds.dropFirst().dropLast().map { .double($0) }) }
            return object
        }

        private func buildCounts(shape: [Int]) {
            counts = ConfusionMatrixVariables(
                truePositives: addVariable(name: "true_positives", shape: shape),
                falsePositives: addVariable(name: "false_positives", shape: shape),
                trueNegatives: addVariable(name: "true_negatives", shape: shape),
                falseNegatives: addVariable(name: "false_negatives", shape: shape))
        }

        public override func updateState(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor? = nil) {
            if counts == nil {
                precondition(yPred.rank == 2, "AUC: multi_label needs predictions of rank 2, found shape \(yPred.shape)")
                buildCounts(shape: [numThresholds, yPred.shape[1]])
            }
            let scores = fromLogits ? stopGradient(yPred).sigmoid() : yPred
            ConfusionMatrixUpdate.update(
                counts!, yTrue: yTrue, yPred: scores, sampleWeight: sampleWeight,
                options: .init(thresholds: thresholds, distributedEvenly: distributedEvenly, multiLabel: multiLabel,
                               labelWeights: multiLabel ? nil : labelWeights?.map { Float($0) }))
        }

        public override func result() -> Tensor {
            guard let counts else { return Tensor(0) }
            let curves = AUCCurves(counts, thresholds: numThresholds)
            let areas = (0..<curves.columns).map { column -> Float in
                curve == .pr && summationMethod == .interpolation
                    ? curves.interpolatedPRArea(column: column)
                    : curves.riemannArea(column: column, curve: curve, summation: summationMethod)
            }
            guard multiLabel else { return Tensor(areas[0]) }
            guard let labelWeights else {
                let total: Float = areas.reduce(0, +)
                return Tensor(total / Float(areas.count))
            }
            let weights = labelWeights.map { Float($0) }
            let weighted: Float = zip(areas, weights).map { $0 * $1 }.reduce(0, +)
            let totalWeight: Float = weights.reduce(0, +)
            return Tensor(Metric.dividedNoNaN(weighted, totalWeight))
        }
    }
}

/// The per-threshold counts of an AUC read out of its variables, laid out [threshold][column],
/// and Keras's area formulas over them (all in float32, as Keras computes them).
private struct AUCCurves {
    let tp: [Float], fp: [Float], tn: [Float], fn: [Float]
    let thresholdCount: Int
    let columns: Int

    init(_ counts: ConfusionMatrixVariables, thresholds: Int) {
        tp = counts.truePositives!.value.scalars
        fp = counts.falsePositives!.value.scalars
        tn = counts.trueNegatives!.value.scalars
        fn = counts.falseNegatives!.value.scalars
        thresholdCount = thresholds
        columns = tp.count / thresholds
    }

    /// ROC (x = false-positive rate, y = recall) or PR (x = recall, y = precision), with heights
    /// by interpolation (midpoints), minoring (lower end) or majoring (upper end).
    func riemannArea(column: Int, curve: Metrics.AUC.Curve, summation: Metrics.AUC.SummationMethod) -> Float {
        let indices = (0..<thresholdCount).map { $0 * columns + column }
        let recall = indices.map { Metric.dividedNoNaN(tp[$0], tp[$0] + fn[$0]) }
        let x: [Float], y: [Float]
        switch curve {
        case .roc:
            x = indices.map { Metric.dividedNoNaN(fp[$0], fp[$0] + tn[$0]) }
            y = recall
        case .pr:
            x = recall
            y = indices.map { Metric.dividedNoNaN(tp[$0], tp[$0] + fp[$0]) }
        }
        var area: Float = 0
        for i in 0..<(thresholdCount - 1) {
            let height: Float
            switch summation {
            case .interpolation: height = (y[i] + y[i + 1]) / 2
            case .minoring: height = Swift.min(y[i], y[i + 1])
            case .majoring: height = Swift.max(y[i], y[i + 1])
            }
            area += (x[i] - x[i + 1]) * height
        }
        return area
    }

    /// Keras's `interpolate_pr_auc` (Davis & Goadrich): true and predicted positives vary
    /// linearly between thresholds, precision does not.
    func interpolatedPRArea(column: Int) -> Float {
        var area: Float = 0
        for i in 0..<(thresholdCount - 1) {
            let here = i * columns + column, next = (i + 1) * columns + column
            let dtp = tp[here] - tp[next]
            let predictedHere = tp[here] + fp[here], predictedNext = tp[next] + fp[next]
            let slope = Metric.dividedNoNaN(dtp, Swift.max(predictedHere - predictedNext, 0))
            let intercept = tp[next] - slope * predictedNext
            let ratio = predictedHere > 0 && predictedNext > 0
                ? Metric.dividedNoNaN(predictedHere, Swift.max(predictedNext, 0)) : 1
            let positives = Swift.max(tp[next] + fn[next], 0)
            area += Metric.dividedNoNaN(slope * (dtp + intercept * Glibc.logf(ratio)), positives)
        }
        return area
    }
}
