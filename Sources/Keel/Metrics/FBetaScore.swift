extension Metrics {
    /// How F-scores over several classes are combined (Keras's `average`): nil gives one score per class.
    public enum FScoreAverage: String, Sendable, CaseIterable, ConfigRepresentable {
        case micro, macro, weighted
    }

    /// The shared state and arithmetic of Keras's `FBetaScore` and `F1Score` (f_score_metrics.py)
    /// for multi-label 0/1 labels and scores of shape (batch, classes): weighted counts of true
    /// positives, false positives, false negatives and true labels (`intermediate_weights`) per
    /// class, or summed over classes for `micro`. As in Keras the variables are made at the first
    /// update, when the number of classes is known. A subclass declares the Keras fields.
    public class FScoreMetric: Metric {
        var averageSetting: FScoreAverage? { nil }
        var betaSetting: Double { 1 }
        var thresholdSetting: Double? { nil }

        private var counts: [Variable] = []
        private var classCount = 0

        public override func didConfigure() {
            super.didConfigure()
            counts = []
            classCount = 0
        }

        public override func checkInputs(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor?) throws {
            let owner = "\(Self.kerasClassName) '\(name)'"
            guard yPred.rank == 2, yTrue.shape == yPred.shape else {
                throw KeelError("\(owner): y_true and y_pred", expected: "the same shape (batch, classes)",
                                found: "y_true \(yTrue.shape), y_pred \(yPred.shape)")
            }
            if !counts.isEmpty, classCount != yPred.shape[1] {
                throw KeelError("\(owner): y_pred", expected: "\(classCount) classes, as in the first update",
                                found: "shape \(yPred.shape)")
            }
            if let sampleWeight, sampleWeight.count != yPred.shape[0] {
                throw KeelError("\(owner): sample_weight", expected: "one weight per sample (\(yPred.shape[0]))",
                                found: "shape \(sampleWeight.shape)")
            }
        }

        public override func updateState(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor? = nil) {
            stopOnBadInputs(yTrue: yTrue, yPred: yPred, sampleWeight: sampleWeight)
            let rows = yPred.shape[0], classes = yPred.shape[1]
            if counts.isEmpty {
                classCount = classes
                let shape = averageSetting == .micro ? [] : [classes]
                counts = ["true_positives", "false_positives", "false_negatives", "intermediate_weights"].map {
                    addVariable(name: $0, shape: shape)
                }
            }
            let width = averageSetting == .micro ? 1 : classes
            var sums = [Float](repeating: 0, count: 4 &* width)
            let truth = LossMath.floats(stopGradient(yTrue)).scalars, scores = stopGradient(yPred).scalars
            let weights = sampleWeight.map { LossMath.floats(stopGradient($0)).scalars }
            let threshold = thresholdSetting.map { Float($0) }
            truth.withUnsafeBufferPointer { t in
                scores.withUnsafeBufferPointer { p in
                    sums.withUnsafeMutableBufferPointer { s in
                        for row in 0..<rows {
                            let base = row &* classes
                            var rowMax = -Float.infinity
                            if threshold == nil { for j in 0..<classes { rowMax = Swift.max(rowMax, p[base &+ j]) } }
                            let w = weights?[row] ?? 1
                            for j in 0..<classes {
                                let score = p[base &+ j]
                                let predicted: Float
                                if let threshold {
                                    predicted = score > threshold ? 1 : 0
                                } else {
                                    predicted = score >= rowMax && Swift.abs(score) > 1e-9 ? 1 : 0
                                }
                                let label = t[base &+ j]
                                let slot = width == 1 ? 0 : j
                                s[slot] += predicted * label * w
                                s[width &+ slot] += predicted * (1 - label) * w
                                s[2 &* width &+ slot] += (1 - predicted) * label * w
                                s[3 &* width &+ slot] += label * w
                            }
                        }
                    }
                }
            }
            for (index, variable) in counts.enumerated() {
                let delta = sums[(index &* width)..<((index &+ 1) &* width)]
                variable.updateInPlace { values in
                    for i in values.indices { values[i] += delta[delta.startIndex &+ i] }
                }
            }
        }

        public override func result() -> Tensor {
            guard counts.count == 4 else { return Tensor(0) }
            let tp = counts[0].value.scalars, fp = counts[1].value.scalars, fn = counts[2].value.scalars
            let epsilon = LossMath.epsilon
            let betaSquared = Float(betaSetting * betaSetting), scale = Float(1 + betaSetting * betaSetting)
            let scores: [Float] = tp.indices.map { i in
                let precision = tp[i] / (tp[i] + fp[i] + epsilon)
                let recall = tp[i] / (tp[i] + fn[i] + epsilon)
                return precision * recall / (betaSquared * precision + recall + epsilon) * scale
            }
            switch averageSetting {
            case nil:
                return counts[0].shape.isEmpty ? Tensor(scores[0]) : Tensor(shape: [scores.count], scalars: scores)
            case .weighted:
                let support = counts[3].value.scalars
                let total = support.reduce(0, +) + epsilon
                return Tensor(zip(scores, support).reduce(Float(0)) { $0 + $1.0 * ($1.1 / total) })
            case .micro, .macro:
                return Tensor(scores.reduce(0, +) / Float(scores.count))
            }
        }
    }

    /// Keras `FBetaScore`: (1 + β²)·precision·recall / (β²·precision + recall) per class, or
    /// combined by `average`. A score counts as predicted when above `threshold`, or when it is
    /// its row's maximum (and not 0) without one.
    @Component(.metric)
    public final class FBetaScore: FScoreMetric {
        public override class var kerasClassName: String { "FBetaScore" }
        public override class var defaultName: String? { "fbeta_score" }

        @Hyper("average") public var average: FScoreAverage? = nil
        @Hyper("beta", .positive) public var beta = 1.0
        @Hyper("threshold", .fScoreThreshold) public var threshold: Double? = nil

        override var averageSetting: FScoreAverage? { average }
        override var betaSetting: Double { beta }
        override var thresholdSetting: Double? { threshold }
    }

    /// Keras `F1Score`: `FBetaScore` with β = 1 (its config has no `beta`).
    @Component(.metric)
    public final class F1Score: FScoreMetric {
        public override class var kerasClassName: String { "F1Score" }
        public override class var defaultName: String? { "f1_score" }

        @Hyper("average") public var average: FScoreAverage? = nil
        @Hyper("threshold", .fScoreThreshold) public var threshold: Double? = nil

        override var averageSetting: FScoreAverage? { average }
        override var thresholdSetting: Double? { threshold }
    }
}

extension HyperCheck where Value == Double? {
    /// Keras's F-score threshold: null, or 0 < threshold ≤ 1.
    static var fScoreThreshold: HyperCheck {
        HyperCheck("null, or a number in (0, 1]") { value in value.map { $0 > 0 && $0 <= 1 } ?? true }
    }
}
