#if canImport(Glibc)
import Glibc
#endif

/// The confusion-matrix counts a metric keeps, each a state variable of shape [thresholds]
/// (or [thresholds, labels] for multi-label AUC). Absent ones are not computed.
struct ConfusionMatrixVariables {
    var truePositives: Variable?
    var falsePositives: Variable?
    var trueNegatives: Variable?
    var falseNegatives: Variable?
}

/// Keras's `update_confusion_matrix_variables` (keras/src/metrics/metrics_utils.py): for every
/// threshold t, a prediction is positive when it is strictly greater than t and a label is
/// positive when it is nonzero; weighted counts are added to the variables. Evenly spaced
/// thresholds take Keras's bucketed path (`ceil(p·(n−1)) − 1`), which is what makes AUC's counts
/// come out exactly as Keras's.
enum ConfusionMatrixUpdate {
    /// Keras's `NEG_INF`: the score given to predictions outside the top k.
    static let negativeInfinity: Float = -1e10

    struct Options {
        var thresholds: [Double]
        var distributedEvenly: Bool
        var topK: Int? = nil
        var classID: Int? = nil
        var multiLabel = false
        var labelWeights: [Float]? = nil
    }

    static func update(_ variables: ConfusionMatrixVariables, yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor?,
                       options: Options) {
        var (predictions, labels) = squeezeOrExpandToSameRank(LossMath.floats(stopGradient(yPred)),
                                                              LossMath.floats(stopGradient(yTrue)))
        var weights = sampleWeight.map { weight in
            squeezeOrExpandToSameRank(labels, LossMath.floats(stopGradient(weight)).expandingDims(at: -1),
                                      expandRank1: false).1
        }
        if let k = options.topK { predictions = keepingTopK(predictions, k) }
        if let classID = options.classID {
            opCheck(predictions.rank >= 2,
                         "class_id needs predictions of shape (samples, classes), found \(predictions.shape)")
            predictions = column(classID, of: predictions)
            labels = column(classID, of: labels)
        }
        opCheck(ShapeMath.broadcast(labels.shape, predictions.shape) == predictions.shape,
                     "confusion matrix: labels of shape \(labels.shape) do not match predictions of shape \(predictions.shape)")
        labels = labels.broadcasted(to: predictions.shape)
        weights = weights.map { $0.broadcasted(to: predictions.shape) }

        let columns = options.multiLabel ? (predictions.shape.last ?? 1) : 1
        let scores = predictions.scalars, truth = labels.scalars
        var elementWeights = weights?.scalars ?? [Float](repeating: 1, count: scores.count)
        if let labelWeights = options.labelWeights, !options.multiLabel {
            let width = predictions.shape.last ?? 1
            opCheck(labelWeights.count == width, "label_weights: \(labelWeights.count) weights for \(width) labels")
            for i in elementWeights.indices { elementWeights[i] *= labelWeights[i % width] }
        }
        var counts = Counts(thresholds: options.thresholds.count, columns: columns)
        for i in scores.indices {
            let sample = Sample(score: scores[i], isPositive: truth[i] != 0, weight: elementWeights[i], column: i % columns)
            if options.distributedEvenly {
                counts.addBucketed(sample, thresholds: options.thresholds)
            } else {
                counts.addCompared(sample, thresholds: options.thresholds)
            }
        }
        if options.distributedEvenly { counts.accumulateBuckets() }
        add(counts.truePositives, to: variables.truePositives)
        add(counts.falsePositives, to: variables.falsePositives)
        add(counts.trueNegatives, to: variables.trueNegatives)
        add(counts.falseNegatives, to: variables.falseNegatives)
    }

    private struct Sample {
        let score: Float
        let isPositive: Bool
        let weight: Float
        let column: Int
    }

    /// Weighted counts laid out [threshold][column], as the variables are.
    private struct Counts {
        let thresholdCount: Int
        let columns: Int
        var truePositives: [Float]
        var falsePositives: [Float]
        var trueNegatives: [Float]
        var falseNegatives: [Float]
        var totalTrue: [Float]
        var totalFalse: [Float]

        init(thresholds: Int, columns: Int) {
            thresholdCount = thresholds
            self.columns = columns
            let zeros = [Float](repeating: 0, count: thresholds * columns)
            (truePositives, falsePositives, trueNegatives, falseNegatives) = (zeros, zeros, zeros, zeros)
            totalTrue = [Float](repeating: 0, count: columns)
            totalFalse = totalTrue
        }

        /// Keras's general path: compare the score with every threshold.
        mutating func addCompared(_ sample: Sample, thresholds: [Double]) {
            for (t, threshold) in thresholds.enumerated() {
                let index = t * columns + sample.column
                let predictedPositive = sample.score > Float(threshold)
                switch (sample.isPositive, predictedPositive) {
                case (true, true): truePositives[index] += sample.weight
                case (true, false): falseNegatives[index] += sample.weight
                case (false, true): falsePositives[index] += sample.weight
                case (false, false): trueNegatives[index] += sample.weight
                }
            }
        }

        /// Keras's optimized path: the sample lands in one bucket; counts at each threshold are
        /// later the sums of the buckets at and above it.
        mutating func addBucketed(_ sample: Sample, thresholds: [Double]) {
            let withEpsilon = thresholds.first! < 0 || thresholds.last! > 1
            let clipped = Swift.min(Swift.max(sample.score, 0), 1)
            var bucket = Glibc.ceilf(clipped * Float(thresholdCount - 1)) - 1
            if withEpsilon { bucket = Swift.max(bucket, 0) }
            let trueWeight = sample.isPositive ? sample.weight : 0
            let falseWeight = sample.isPositive ? 0 : sample.weight
            // Buckets outside [0, n) are dropped, as by `segment_sum`.
            if bucket >= 0 && bucket < Float(thresholdCount) {
                let index = Int(bucket) * columns + sample.column
                truePositives[index] += trueWeight
                falsePositives[index] += falseWeight
            }
            totalTrue[sample.column] += trueWeight
            totalFalse[sample.column] += falseWeight
        }

        /// Turns bucket sums into counts (reverse cumulative sums) and derives the negatives.
        mutating func accumulateBuckets() {
            for column in 0..<columns {
                var tp: Float = 0, fp: Float = 0
                for t in stride(from: thresholdCount - 1, through: 0, by: -1) {
                    let index = t * columns + column
                    tp += truePositives[index]
                    fp += falsePositives[index]
                    truePositives[index] = tp
                    falsePositives[index] = fp
                    falseNegatives[index] = totalTrue[column] - tp
                    trueNegatives[index] = totalFalse[column] - fp
                }
            }
        }
    }

    private static func add(_ delta: [Float], to variable: Variable?) {
        guard let variable else { return }
        opCheck(variable.shape.reduce(1, *) == delta.count,
                     "confusion matrix: \(delta.count) counts for variable \(variable.name) of shape \(variable.shape)")
        variable.updateInPlace { values in
            for i in values.indices { values[i] += delta[i] }
        }
    }

    /// Keras's `_filter_top_k`: along the last axis, the k largest scores stay (the earlier one
    /// wins a tie) and the rest become `negativeInfinity`.
    static func keepingTopK(_ scores: Tensor, _ k: Int) -> Tensor {
        let width = scores.shape.last ?? 1
        var values = scores.scalars
        for start in stride(from: 0, to: values.count, by: Swift.max(width, 1)) {
            let row = Array(values[start..<start + width])
            let ranked = row.indices.sorted { row[$0] != row[$1] ? row[$0] > row[$1] : $0 < $1 }
            for j in ranked.dropFirst(k) { values[start + j] = negativeInfinity }
        }
        return Tensor(shape: scores.shape, scalars: values)
    }

    /// `x[..., index, None]`: one position of the last axis, kept as an axis of size 1.
    static func column(_ index: Int, of tensor: Tensor) -> Tensor {
        var begin = [Int](repeating: 0, count: tensor.rank)
        begin[tensor.rank - 1] = index
        var size = tensor.shape
        size[tensor.rank - 1] = 1
        return tensor.slice(begin: begin, size: size)
    }
}
