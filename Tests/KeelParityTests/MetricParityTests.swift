import XCTest
import Keel

/// Every case of `metrics.json`: the metric is built from `class_name` + `init_args` through
/// the registry, driven through the case's steps (updates and a reset) on one object, and must
/// give Keras's result after every step, Keras's state variables (names, order, values) just
/// before the reset, and Keras's `get_config()`.
final class MetricParityTests: XCTestCase {
    /// Results are float32 ratios of float32 sums, as Keras's; 1e-5 (relative, absolute below 1)
    /// as the fixtures README suggests for single ops.
    static let tolerance: Float = 1e-5

    func testEveryMetricCaseMatchesKeras() throws {
        try Fixtures.checkEveryCase(of: "metrics.json", differences)
    }

    /// `metrics_more.json` (F-scores, R², IoUs, correlations, rate-at-rate metrics): the same
    /// steps, with vector results and `null` where Keras gives NaN.
    func testEveryMoreMetricCaseMatchesKeras() throws {
        try Fixtures.checkEveryCase(of: "metrics_more.json", differences)
    }

    private func differences(from fixture: JSONObject, className: String) -> [String] {
        let metric: Metric
        do {
            metric = try Registries.metrics.make(className, config: fixture["init_args"]?.objectValue ?? JSONObject())
        } catch {
            return ["cannot build \(className) from init_args: \(error)"]
        }
        var problems: [String] = []
        if let kerasConfig = fixture["config"]?.objectValue {
            problems += ParityValues.configDifferences(metric.config, kerasConfig, nameBase: true)
        } else {
            problems.append("the case has no config")
        }
        guard let steps = fixture["steps"]?.arrayValue?.compactMap(\.objectValue), !steps.isEmpty else {
            return problems + ["the case has no steps"]
        }
        var checkedVariables = false
        for (index, step) in steps.enumerated() {
            switch step["op"]?.stringValue {
            case "update_state":
                if let problem = update(metric, with: step) { return problems + ["step \(index): \(problem)"] }
            case "reset_state":
                if !checkedVariables {
                    problems += variableDifferences(metric, fixture["variables_before_reset"])
                    checkedVariables = true
                }
                metric.resetState()
            default:
                return problems + ["step \(index): unknown op \(step["op"]?.serialized() ?? "none")"]
            }
            // The fixtures write Keras's NaN (0/0) as null, alone or inside a list.
            let expected = step["result"]?.isNull == true ? Tensor(Float.nan) : Fixtures.tensor(step["result"])
            if let expected {
                if let problem = Self.mismatch("step \(index) result", metric.result(), expected) {
                    problems.append(problem)
                }
            } else {
                problems.append("step \(index) has no result")
            }
        }
        if !checkedVariables { problems.append("the case has no reset_state step to check variables_before_reset at") }
        return problems
    }

    /// `ParityValues.mismatch`, where a NaN Keras gives must be a NaN here.
    private static func mismatch(_ what: String, _ actual: Tensor, _ expected: Tensor) -> String? {
        let nanPositions = expected.scalars.indices.filter { expected.scalars[$0].isNaN }
        guard !nanPositions.isEmpty else { return ParityValues.mismatch(what, actual, expected, tolerance: tolerance) }
        let a = actual.scalars
        guard a.count == expected.count else { return "\(what): shape \(actual.shape), Keras \(expected.shape)" }
        if let i = nanPositions.first(where: { !a[$0].isNaN }) { return "\(what): element \(i) is \(a[i]), Keras NaN" }
        let others = expected.scalars.indices.filter { !expected.scalars[$0].isNaN }
        return ParityValues.mismatch(what, Tensor(shape: [others.count], scalars: others.map { a[$0] }),
                                     Tensor(shape: [others.count], scalars: others.map { expected.scalars[$0] }),
                                     tolerance: tolerance)
    }

    /// Applies one `update_state` step: `values` for Mean/Sum, y_true/y_pred otherwise.
    private func update(_ metric: Metric, with step: JSONObject) -> String? {
        let sampleWeight = Fixtures.tensor(step["sample_weight"])
        if let values = Fixtures.tensor(step["values"]) {
            guard let accumulating = metric as? ValueAccumulatingMetric else {
                return "\(type(of: metric)) does not take update_state(values)"
            }
            accumulating.updateState(values: values, sampleWeight: sampleWeight)
            return nil
        }
        guard let yTrue = ParityValues.tensor(step["y_true"]), let yPred = Fixtures.tensor(step["y_pred"]) else {
            return "update_state without values or y_true/y_pred"
        }
        metric.updateState(yTrue: yTrue, yPred: yPred, sampleWeight: sampleWeight)
        return nil
    }

    private func variableDifferences(_ metric: Metric, _ expected: JSONValue?) -> [String] {
        guard let entries = expected?.arrayValue?.compactMap(\.objectValue) else {
            return ["the case has no variables_before_reset"]
        }
        let names = metric.variables.map(\.name), kerasNames = entries.map { $0["name"]?.stringValue ?? "" }
        guard names == kerasNames else {
            return ["variables \(names), Keras \(kerasNames)"]
        }
        return zip(metric.variables, entries).compactMap { variable, entry in
            guard let value = Fixtures.tensor(entry["value"]) else { return "variable \(variable.name) has no value" }
            return ParityValues.mismatch("variable \(variable.name)", variable.value, value, tolerance: Self.tolerance)
        }
    }
}
