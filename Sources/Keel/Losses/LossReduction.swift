/// Keras's `reduce_weighted_values` (keras/src/losses/loss.py): a mask becomes weights, the
/// weights are brought to the rank of the values, multiplied in, and the result reduced.
enum LossReduction {
    static func reduceWeighted(_ values: Tensor, sampleWeight: Tensor?, mask: Tensor?, reduction: Reduction) -> Tensor {
        var weights = sampleWeight.map(LossMath.floats)
        if let mask { weights = applying(mask: mask, to: weights, reduction: reduction) }
        var weighted = values
        if let given = weights {
            let (matchedValues, matchedWeights) = squeezeOrExpandToSameRank(values, given)
            weighted = matchedValues * matchedWeights
            weights = matchedWeights
        }
        return reduce(weighted, sampleWeight: weights, reduction: reduction)
    }

    /// Keras's `apply_mask`: for the mean reductions valid positions weigh `total / valid`, so the
    /// mean runs over valid positions only; otherwise the mask is a plain 0/1 weight.
    static func applying(mask: Tensor, to sampleWeight: Tensor?, reduction: Reduction) -> Tensor {
        var weights = LossMath.floats(mask)
        if reduction == .mean || reduction == .sumOverBatchSize {
            let valid = weights.sum().scalar
            weights = weights * (valid == 0 ? 0 : Float(weights.count) / valid)
        }
        guard let sampleWeight else { return weights }
        let (matchedMask, matchedWeights) = squeezeOrExpandToSameRank(weights, sampleWeight)
        return matchedWeights * matchedMask
    }

    /// Keras's `reduce_values`. Scalars and empty vectors come back as they are.
    static func reduce(_ values: Tensor, sampleWeight: Tensor?, reduction: Reduction) -> Tensor {
        if reduction == .none || values.rank == 0 || values.shape == [0] { return values }
        let total = values.sum()
        switch reduction {
        case .none:
            return values
        case .sum:
            return total
        case .meanWithSampleWeight where sampleWeight != nil:
            return dividedNoNaN(total, by: sampleWeight!.sum().scalar)
        case .sumOverBatchSize, .mean, .meanWithSampleWeight:
            return dividedNoNaN(total, by: Float(values.count))
        }
    }

    /// Keras's `divide_no_nan` for a scalar divisor: 0 (with a zero gradient) where it is 0.
    static func dividedNoNaN(_ numerator: Tensor, by divisor: Float) -> Tensor {
        divisor == 0 ? numerator * 0 : numerator / divisor
    }
}

/// Keras's `squeeze_or_expand_to_same_rank`: when the ranks differ by one and the longer
/// tensor ends in a dimension of 1, that dimension is dropped, except that a rank-1 partner is
/// expanded instead when `expandRank1` is set.
func squeezeOrExpandToSameRank(_ first: Tensor, _ second: Tensor, expandRank1: Bool = true) -> (Tensor, Tensor) {
    var a = first, b = second
    let rankA = first.rank, rankB = second.rank
    if rankA == rankB { return (a, b) }
    if rankA == rankB + 1, first.shape.last == 1 {
        if rankB == 1 && expandRank1 { b = b.expandingDims(at: -1) } else { a = a.squeezed(axes: [-1]) }
    }
    if rankB == rankA + 1, second.shape.last == 1 {
        if rankA == 1 && expandRank1 { a = a.expandingDims(at: -1) } else { b = b.squeezed(axes: [-1]) }
    }
    return (a, b)
}
