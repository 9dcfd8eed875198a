extension Metrics {
    /// How R² scores of several outputs are combined (Keras's `class_aggregation`); nil gives one per output.
    public enum R2Aggregation: String, Sendable, CaseIterable, ConfigRepresentable {
        case uniformAverage = "uniform_average"
        case varianceWeightedAverage = "variance_weighted_average"
    }

    /// Keras `R2Score`: the coefficient of determination 1 − Σw(y − ŷ)² / Σw(y − ȳ)² of each
    /// output column of (batch, outputs) data, accumulated over updates; adjusted for
    /// `num_regressors` when that is not 0. State `num_samples` (made with the metric), then
    /// `squared_sum`, `sum`, `residual`, `count` (made at the first update, one per output).
    /// Like Keras it gives NaN when nothing has been seen (0/0).
    @Component(.metric)
    public final class R2Score: Metric {
        public override class var kerasClassName: String { "R2Score" }
        public override class var defaultName: String? { "r2_score" }

        @Hyper("class_aggregation") public var classAggregation: R2Aggregation? = .uniformAverage
        @Hyper("num_regressors", .nonNegative) public var numRegressors = 0

        private var numSamples: Variable!
        private var sums: [Variable] = []

        public override func didConfigure() {
            super.didConfigure()
            sums = []
            numSamples = addVariable(name: "num_samples")
        }

        public override func checkInputs(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor?) throws {
            let owner = "R2Score '\(name)'"
            let (t, p) = squeezeOrExpandToSameRank(yTrue, yPred)
            guard p.rank == 2, t.shape == p.shape else {
                throw KeelError("\(owner): y_true and y_pred", expected: "the same shape (batch, outputs)",
                                found: "y_true \(yTrue.shape), y_pred \(yPred.shape)")
            }
            if let first = sums.first, first.shape != [p.shape[1]] {
                throw KeelError("\(owner): y_pred", expected: "\(first.shape[0]) outputs, as in the first update",
                                found: "shape \(yPred.shape)")
            }
            if let sampleWeight {
                let weightShape = sampleWeight.rank == 1 ? sampleWeight.shape + [1] : sampleWeight.shape
                guard sampleWeight.rank <= 2, ShapeMath.broadcast(weightShape, p.shape) == p.shape else {
                    throw KeelError("\(owner): sample_weight", expected: "a shape that broadcasts to \(p.shape)",
                                    found: "shape \(sampleWeight.shape)")
                }
            }
        }

        public override func updateState(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor? = nil) {
            stopOnBadInputs(yTrue: yTrue, yPred: yPred, sampleWeight: sampleWeight)
            let (t, p) = squeezeOrExpandToSameRank(LossMath.floats(stopGradient(yTrue)), stopGradient(yPred))
            let rows = p.shape[0], columns = p.shape[1]
            if sums.isEmpty {
                sums = ["squared_sum", "sum", "residual", "count"].map { addVariable(name: $0, shape: [columns]) }
            }
            var weights = sampleWeight.map { LossMath.floats(stopGradient($0)) } ?? Tensor(1)
            if weights.rank == 1 { weights = weights.expandingDims(at: 1) }
            let w = weights.broadcasted(to: p.shape).scalars, truth = t.scalars, predicted = p.scalars
            // Laid out [squared_sum | sum | residual | count], each one per output.
            var deltas = [Float](repeating: 0, count: 4 &* columns)
            truth.withUnsafeBufferPointer { y in
                predicted.withUnsafeBufferPointer { yHat in
                    w.withUnsafeBufferPointer { w in
                        deltas.withUnsafeMutableBufferPointer { d in
                            for row in 0..<rows {
                                for column in 0..<columns {
                                    let i = row &* columns &+ column
                                    let weighted = y[i] * w[i]
                                    let error = y[i] - yHat[i]
                                    d[column] += y[i] * weighted
                                    d[columns &+ column] += weighted
                                    d[2 &* columns &+ column] += error * error * w[i]
                                    d[3 &* columns &+ column] += w[i]
                                }
                            }
                        }
                    }
                }
            }
            for (index, variable) in sums.enumerated() {
                variable.assignAdd(Tensor(shape: [columns], scalars: Array(deltas[(index &* columns)..<((index &+ 1) &* columns)])))
            }
            numSamples.assignAdd(Tensor(Float(t.count)))
        }

        public override func result() -> Tensor {
            guard sums.count == 4 else { return Tensor(Float.nan) }
            let squaredSum = sums[0].value.scalars, sum = sums[1].value.scalars
            let residual = sums[2].value.scalars, count = sums[3].value.scalars
            var totals: [Float] = [], raw: [Float] = []
            for i in sum.indices {
                let mean = sum[i] / count[i]
                let total = squaredSum[i] - sum[i] * mean
                let score = 1 - residual[i] / total
                totals.append(total)
                raw.append(score.isInfinite ? 0 : score)
            }
            var score: Float
            switch classAggregation {
            case nil:
                return adjusted(Tensor(shape: [raw.count], scalars: raw))
            case .uniformAverage:
                score = raw.reduce(0, +) / Float(raw.count)
            case .varianceWeightedAverage:
                score = zip(totals, raw).reduce(Float(0)) { $0 + $1.0 * $1.1 } / totals.reduce(0, +)
            }
            return adjusted(Tensor(score))
        }

        /// Keras's adjusted R², 1 − (1 − R²)(n − 1)/(n − p − 1), only where n − 1 > p.
        private func adjusted(_ scores: Tensor) -> Tensor {
            let n = numSamples.value.scalar, p = Float(numRegressors)
            guard numRegressors != 0, p < n - 1 else { return scores }
            let values = scores.scalars.map { 1 - (1 - $0) * (n - 1) / (n - p - 1) }
            return scores.rank == 0 ? Tensor(values[0]) : Tensor(shape: scores.shape, scalars: values)
        }
    }
}
