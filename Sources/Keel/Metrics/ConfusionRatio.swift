/// Results of the confusion-matrix metrics: tp / (tp + other) per threshold, 0 where the
/// denominator is 0; a scalar when there is one threshold, as Keras's `result[0]`.
enum ConfusionRatio {
    static func perThreshold(_ truePositives: Variable, _ other: Variable) -> Tensor {
        let tp = truePositives.value.scalars, o = other.value.scalars
        let ratios = zip(tp, o).map { Metric.dividedNoNaN($0, $0 + $1) }
        return ratios.count == 1 ? Tensor(ratios[0]) : Tensor(shape: [ratios.count], scalars: ratios)
    }
}
