/// `tf.summary.histogram`'s buckets (tensorboard.plugins.histogram.summary_v2): `count` buckets of
/// equal width between the minimum and the maximum, in float64, the maximum falling in the last;
/// when every value is the same, every edge is that value and the last bucket holds them all;
/// no values give all-zero buckets.
enum HistogramBuckets {
    static func of(_ values: [Float], count: Int) -> [HistogramBucket] {
        guard count > 0 else { return [] }
        guard let first = values.first else {
            return Array(repeating: HistogramBucket(left: 0, right: 0, count: 0), count: count)
        }
        var low = Double(first), high = Double(first)
        for value in values {
            // NaN compares false both ways, so it moves neither edge.
            let v = Double(value)
            if v < low { low = v }
            if v > high { high = v }
        }
        let range = high - low
        if range == 0 {
            var buckets = Array(repeating: HistogramBucket(left: high, right: high, count: 0), count: count)
            buckets[count - 1].count = Double(values.count)
            return buckets
        }
        let width = range / Double(count)
        var counts = [Double](repeating: 0, count: count)
        for value in values {
            let index = ((Double(value) - low) / width).rounded(.down)
            // Out-of-range indices (NaN, infinities) are dropped, as TensorFlow's one_hot drops them.
            guard index.isFinite, index >= 0 else { continue }
            counts[min(Int(index), count - 1)] += 1
        }
        // tf.linspace: start + i·step, the last edge replaced by the maximum itself.
        let step = range / Double(count)
        return (0..<count).map { i in
            HistogramBucket(left: low + Double(i) * step, right: i == count - 1 ? high : low + Double(i + 1) * step,
                            count: counts[i])
        }
    }
}
