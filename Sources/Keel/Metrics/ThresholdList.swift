/// Decision thresholds as Keras's `parse_init_thresholds` reads them: one number, a list, or
/// none (then a default). Remembers which form was given, since `get_config` writes it back.
struct ThresholdList {
    /// What was given, nil for the default.
    let given: [Double]?
    let givenAsList: Bool
    /// The thresholds in effect.
    let values: [Double]

    init(_ given: [Double]?, asList: Bool, default fallback: Double) {
        self.given = given
        self.givenAsList = asList
        self.values = given ?? [fallback]
    }

    /// Reads `thresholds` from a config; every value must lie in [0, 1].
    init(config reader: ConfigReader, default fallback: Double) throws {
        let isList = reader.value("thresholds")?.arrayValue != nil
        let list = isList ? try reader.doubles("thresholds") : try reader.optionalDouble("thresholds").map { [$0] }
        if let outside = list?.first(where: { !($0 >= 0 && $0 <= 1) }) {
            throw KeelError("\(reader.owner): field 'thresholds'", expected: "values in [0, 1]", found: "\(outside)")
        }
        self.init(list, asList: isList, default: fallback)
    }

    var configValue: JSONValue {
        guard let given else { return .null }
        return givenAsList ? .array(given.map { .double($0) }) : .double(given[0])
    }

    /// Keras's `is_evenly_distributed_thresholds`: at least three, each within `allclose` of
    /// i/(n−1) computed in float32.
    var distributedEvenly: Bool { ThresholdList.areEvenlyDistributed(values) }

    static func areEvenlyDistributed(_ thresholds: [Double]) -> Bool {
        let n = thresholds.count
        guard n >= 3 else { return false }
        return thresholds.enumerated().allSatisfy { i, t in
            let even = Double(Float(i) / Float(n - 1))
            return Swift.abs(t - even) <= 1e-7 + 1e-5 * Swift.abs(even)
        }
    }
}

/// Results of the confusion-matrix metrics: tp / (tp + other) per threshold, 0 where the
/// denominator is 0; a scalar when there is one threshold, as Keras's `result[0]`.
enum ConfusionRatio {
    static func perThreshold(_ truePositives: Variable, _ other: Variable) -> Tensor {
        let tp = truePositives.value.scalars, o = other.value.scalars
        let ratios = zip(tp, o).map { Metric.dividedNoNaN($0, $0 + $1) }
        return ratios.count == 1 ? Tensor(ratios[0]) : Tensor(shape: [ratios.count], scalars: ratios)
    }
}
