/// Keras's accuracy functions (keras/src/metrics/accuracy_metrics.py): 1 where a prediction
/// is right and 0 where it is wrong, one value per sample or per position. Class ids coming from
/// `argmax` are compared as float32, exactly representable for any realistic class count.
enum AccuracyFunctions {
    /// Exact equality of labels and predictions.
    static func accuracy(_ yTrue: Tensor, _ yPred: Tensor) -> Tensor {
        let (t, p) = LossMath.aligned(yTrue, yPred)
        return t.equal(p)
    }

    /// Predictions strictly above `threshold` count as class 1 (so one equal to it is class 0).
    static func binaryAccuracy(_ yTrue: Tensor, _ yPred: Tensor, threshold: Float) -> Tensor {
        let (t, p) = LossMath.aligned(yTrue, yPred)
        return t.equal(p.greater(Tensor(threshold)))
    }

    /// argmax of one-hot labels against argmax of predictions.
    static func categoricalAccuracy(_ yTrue: Tensor, _ yPred: Tensor) -> Tensor {
        var trueIDs = LossMath.floats(yTrue).argmax(axis: -1).cast(to: .float32)
        let originalShape = trueIDs.shape
        let reshapes = trueIDs.rank == yPred.rank
        if reshapes { trueIDs = trueIDs.squeezed(axes: [-1]) }
        let matches = trueIDs.equal(yPred.argmax(axis: -1).cast(to: .float32))
        return reshapes ? matches.reshaped(originalShape) : matches
    }

    /// Integer labels (a trailing 1 dropped) against argmax of predictions.
    static func sparseCategoricalAccuracy(_ yTrue: Tensor, _ yPred: Tensor) -> Tensor {
        var labels = LossMath.floats(yTrue)
        let originalShape = labels.shape
        let reshapes = labels.rank == yPred.rank && labels.shape.last == 1
        if reshapes { labels = labels.squeezed(axes: [-1]) }
        var matches = labels.equal(yPred.argmax(axis: -1).cast(to: .float32))
        if reshapes { matches = matches.reshaped(originalShape) }
        if matches.rank > 1 && matches.shape.last == 1 { matches = matches.squeezed(axes: [-1]) }
        return matches
    }

    /// Whether the argmax of one-hot labels is among the `k` largest predictions.
    static func topKCategoricalAccuracy(_ yTrue: Tensor, _ yPred: Tensor, k: Int) -> Tensor {
        let trueIDs = LossMath.floats(yTrue).argmax(axis: -1)
        return inTopK(trueIDs, yPred, k: k)
    }

    /// Whether the integer label is among the `k` largest predictions.
    static func sparseTopKCategoricalAccuracy(_ yTrue: Tensor, _ yPred: Tensor, k: Int) -> Tensor {
        inTopK(yTrue.dtype == .int32 ? yTrue : yTrue.cast(to: .int32), yPred, k: k)
    }

    /// Keras's `in_top_k`, shaped like `targets`: a target ranks 1 + the number of predictions
    /// strictly greater than its own (ties favour it); a NaN prediction never counts as large.
    /// Predictions of any rank are read as rows over their last axis.
    static func inTopK(_ targets: Tensor, _ predictions: Tensor, k: Int) -> Tensor {
        let classes = predictions.shape.last ?? 1
        let rows = predictions.count / Swift.max(classes, 1)
        opCheck(targets.count == rows,
                     "in_top_k: \(targets.count) labels for \(rows) rows of predictions of shape \(predictions.shape)")
        let ids = (targets.dtype == .int32 ? targets : targets.cast(to: .int32)).int32Scalars
        let hits: [Float] = predictions.withUnsafeFloats { scores in
            (0..<rows).map { row in
                let id = Int(ids[row])
                guard id >= 0 && id < classes else { return 0 }
                let own = scores[row * classes + id].isNaN ? -Float.infinity : scores[row * classes + id]
                var rank = 1
                for j in 0..<classes where scores[row * classes + j] > own { rank += 1 }
                return rank <= k ? 1 : 0
            }
        }
        return Tensor(shape: targets.shape, scalars: hits)
    }
}
