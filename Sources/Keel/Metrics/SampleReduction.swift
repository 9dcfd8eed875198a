/// Keras's `reduce_to_samplewise_values` (keras/src/metrics/reduction_metrics.py): values are
/// reduced to the rank of the sample weights, weighted, and reduced again to one value per sample;
/// the weights are reduced to one per sample too.
enum SampleReduction {
    enum Kind { case mean, sum }

    static func reduce(_ values: Tensor, sampleWeight: Tensor?, by kind: Kind) -> (values: Tensor, weights: Tensor?) {
        var reduced = LossMath.floats(values)
        var weights: Tensor?
        if let sampleWeight {
            var (matchedValues, matchedWeights) = squeezeOrExpandToSameRank(reduced, LossMath.floats(sampleWeight))
            if matchedValues.rank > matchedWeights.rank {
                matchedValues = apply(kind, to: matchedValues, axes: Array(matchedWeights.rank..<matchedValues.rank))
            }
            // Broadcasting changes only how many weights are counted, not the product.
            matchedWeights = matchedWeights.broadcasted(to: matchedValues.shape)
            reduced = matchedValues * matchedWeights
            if matchedWeights.rank > 1 {
                matchedWeights = apply(kind, to: matchedWeights, axes: Array(1..<matchedWeights.rank))
            }
            weights = matchedWeights
        }
        if reduced.rank > 1 { reduced = apply(kind, to: reduced, axes: Array(1..<reduced.rank)) }
        return (reduced, weights)
    }

    private static func apply(_ kind: Kind, to tensor: Tensor, axes: [Int]) -> Tensor {
        kind == .mean ? tensor.mean(axes: axes) : tensor.sum(axes: axes)
    }
}
