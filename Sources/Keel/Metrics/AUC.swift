#if canImport(Glibc)
import Glibc
#endif

extension Metrics {
    /// Keras `AUC`: the area under the ROC or precision-recall curve, approximated by a Riemann sum
    /// over `numThresholds` thresholds ([−ε, 1/(n−1), ..., (n−2)/(n−1), 1+ε], or the given ones
    /// between −ε and 1+ε). State variables `true_positives`, `false_positives`,
    /// `true_negatives`, `false_negatives`, each of length n (n × labels with `multiLabel`).
    @Component(.metric)
    public final class AUC: Metric {
        public override class var kerasClassName: String { "AUC" }

        public enum Curve: String, Sendable { case roc = "ROC", pr = "PR" }
        public enum SummationMethod: String, Sendable, CaseIterable, ConfigRepresentable {
            case interpolation, minoring, majoring
        }

        /// With `thresholds` given, `didConfigure` sets it to their count plus the two endpoints.
        @Hyper("num_thresholds", .atLeast(2)) public var numThresholds = 200
        @Hyper("curve") public var curve: Curve = .roc
        @Hyper("summation_method") public var summationMethod: SummationMethod = .interpolation
        @Hyper("multi_label") public var multiLabel = false
        @Hyper("num_labels", .whenSet(.size)) public var numLabels: Int? = nil
        @Hyper("label_weights") public var labelWeights: [Double]? = nil
        @Hyper("from_logits") public var fromLogits = false
        /// Thresholds to use instead of `numThresholds` evenly spaced ones; `config` writes them
        /// only when given, as Keras does.
        @Hyper("thresholds", written: false) public var thresholds: [Double]? = nil

        /// Every threshold evaluated, the endpoints −ε and 1+ε included.
        public private(set) var evaluatedThresholds: [Double] = []
        private var distributedEvenly = true
        private var counts: ConfusionMatrixVariables?

        /// Keras raises for `num_labels` without `multi_label`.
        public override func check() throws {
            try super.check()
            if !multiLabel, let numLabels {
                throw KeelError("AUC '\(name)': field 'num_labels'", expected: "null unless multi_label is true",
                                found: "\(numLabels)")
            }
        }

        public override func didConfigure() {
            super.didConfigure()
            counts = nil
            guard configurationIsValid else { return }
            let inner: [Double]
            if let thresholds {
                inner = thresholds.sorted()
                numThresholds = inner.count + 2
                distributedEvenly = MetricThresholds.areEvenlyDistributed([0.0] + inner + [1.0])
            } else {
                inner = (0..<(numThresholds - 2)).map { Double($0 + 1) * 1.0 / Double(numThresholds - 1) }
                distributedEvenly = true
            }
            // Endpoints just outside [0, 1] so predictions of exactly 0 or 1 are counted.
            let epsilon = Double(LossMath.epsilon)
            evaluatedThresholds = [0.0 - epsilon] + inner + [1.0 + epsilon]
            if !multiLabel {
                buildCounts(shape: [numThresholds])
            } else if let numLabels {
                buildCounts(shape: [numThresholds, numLabels])
            }
        }

        /// Keras writes given thresholds back sorted, without the endpoints it added.
        public override var config: JSONObject {
            var config = super.config
            if let thresholds { config["thresholds"] = .array(thresholds.sorted().map { .double($0) }) }
            return config
        }

        private func buildCounts(shape: [Int]) {
            counts = ConfusionMatrixVariables(
                truePositives: addVariable(name: "true_positives", shape: shape),
                falsePositives: addVariable(name: "false_positives", shape: shape),
                trueNegatives: addVariable(name: "true_negatives", shape: shape),
                falseNegatives: addVariable(name: "false_negatives", shape: shape))
        }

        public override func updateState(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor? = nil) {
            guard !evaluatedThresholds.isEmpty else { stopForInvalidConfiguration() }
            if counts == nil {
                opCheck(yPred.rank == 2, "AUC: multi_label needs predictions of rank 2, found shape \(yPred.shape)")
                buildCounts(shape: [numThresholds, yPred.shape[1]])
            }
            let scores = fromLogits ? stopGradient(yPred).sigmoid() : yPred
            ConfusionMatrixUpdate.update(
                counts!, yTrue: yTrue, yPred: scores, sampleWeight: sampleWeight,
                options: .init(thresholds: evaluatedThresholds, distributedEvenly: distributedEvenly, multiLabel: multiLabel,
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

/// Keras writes the curve upper-case and reads either case.
extension Metrics.AUC.Curve: ConfigRepresentable {
    public init(configValue: JSONValue) throws {
        guard let text = configValue.stringValue, let curve = Self(rawValue: text.uppercased()),
              text == curve.rawValue || text == curve.rawValue.lowercased() else {
            throw ConfigMismatch("ROC or PR")
        }
        self = curve
    }
    public var configValue: JSONValue { .string(rawValue) }
}
