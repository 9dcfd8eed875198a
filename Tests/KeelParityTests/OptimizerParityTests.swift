import XCTest
import Keel

/// Every case of `optimizers.json` and `optimizers_more.json`: the optimizer is built from its Keras class name and
/// constructor arguments through the registry, applied for four steps to a `Dense(2)` layer's
/// kernel and bias, and compared with what Keras computed: the variables after each step, the
/// optimizer's own variables (names, paths, dtypes, values, in Keras's order), `iterations`, and
/// `get_config()` (keys in Keras's order).
final class OptimizerParityTests: XCTestCase {
    /// The fixtures README's suggestion for single float32 steps. Each update is a handful of
    /// float32 operations in Keras's order, so no optimizer needs the looser 1e-4: every case
    /// agreed within 1e-7 when this was written; pow and sqrt may still differ from XLA's by an ulp.
    private let tolerance: Float = 1e-5

    func testEveryOptimizerCaseMatchesKeras() throws {
        try Fixtures.checkEveryCase(of: "optimizers.json", differences)
    }

    /// Adafactor, Lamb and Muon, on the same schema.
    func testEveryMoreOptimizerCaseMatchesKeras() throws {
        try Fixtures.checkEveryCase(of: "optimizers_more.json", differences)
    }

    /// What differs between Keel and the case; empty when they agree.
    private func differences(from fixture: JSONObject, className: String) -> [String] {
        // Keras numbered default names per session and the generator used a fresh one per case.
        Naming.reset()
        let optimizer: Optimizer
        do {
            optimizer = try Registries.optimizers.make(className, config: fixture["init_args"]?.objectValue ?? [:])
        } catch {
            return ["cannot build \(className) from init_args: \(error)"]
        }
        guard let variables = modelVariables(fixture),
              let gradientSteps = fixture["gradients"]?.arrayValue,
              let expectedSteps = fixture["variables_after_step"]?.arrayValue,
              gradientSteps.count == expectedSteps.count, !expectedSteps.isEmpty else {
            return ["the case lacks variables, gradients or variables_after_step"]
        }
        var problems: [String] = []
        for (step, (gradients, expected)) in zip(gradientSteps, expectedSteps).enumerated() {
            let stepGradients = (gradients.arrayValue ?? []).map { Fixtures.tensor($0) }
            let expectedValues = expected.arrayValue ?? []
            guard stepGradients.count == variables.count, expectedValues.count == variables.count else {
                return problems + ["step \(step) has \(stepGradients.count) gradients and \(expectedValues.count) "
                                   + "values for \(variables.count) variables"]
            }
            optimizer.apply(stepGradients, to: variables)
            for (variable, value) in zip(variables, expectedValues) {
                problems += ParityValues.compare("\(variable.path) after step \(step + 1)", variable.value, value,
                                                 tolerance: tolerance)
            }
        }
        problems += optimizerVariableDifferences(optimizer, fixture)
        if optimizer.iterations != fixture["iterations"]?.intValue {
            problems.append("iterations \(optimizer.iterations), Keras \(fixture["iterations"]?.summary ?? "absent")")
        }
        guard let kerasConfig = fixture["config"]?.objectValue else { return problems + ["the case has no config"] }
        let config = optimizer.config
        if config.keys != kerasConfig.keys {
            problems.append("config keys in the order \(config.keys), Keras \(kerasConfig.keys)")
        }
        return problems + ParityValues.configDifferences(config, kerasConfig)
    }

    /// The layer's variables with the names and paths Keras gave them (`dense/kernel`, `dense/bias`).
    private func modelVariables(_ fixture: JSONObject) -> [Variable]? {
        guard let entries = fixture["variables"]?.arrayValue?.compactMap(\.objectValue), !entries.isEmpty else { return nil }
        var variables: [Variable] = []
        for entry in entries {
            guard let name = entry["name"]?.stringValue, let path = entry["path"]?.stringValue,
                  let initial = Fixtures.tensor(entry["initial"]) else { return nil }
            variables.append(Variable(initial, name: name, path: path))
        }
        return variables
    }

    private func optimizerVariableDifferences(_ optimizer: Optimizer, _ fixture: JSONObject) -> [String] {
        guard let expected = fixture["optimizer_variables"]?.arrayValue?.compactMap(\.objectValue), !expected.isEmpty else {
            return ["the case has no optimizer_variables"]
        }
        let actual = optimizer.variables
        let paths = actual.map(\.path), kerasPaths = expected.map { $0["path"]?.stringValue ?? "?" }
        guard paths == kerasPaths else { return ["optimizer variable paths \(paths), Keras \(kerasPaths)"] }
        var problems: [String] = []
        for (variable, entry) in zip(actual, expected) {
            if variable.name != entry["name"]?.stringValue { problems.append("name of \(variable.path): \(variable.name)") }
            if variable.dtype.rawValue != entry["dtype"]?.stringValue { problems.append("dtype of \(variable.path)") }
            if variable.dtype == .int32 {
                if variable.value.int32Scalars != Fixtures.intTensor(entry["value"])?.int32Scalars {
                    problems.append("value of \(variable.path): \(variable.value.int32Scalars)")
                }
            } else {
                problems += ParityValues.compare("value of \(variable.path)", variable.value, entry["value"], tolerance: tolerance)
            }
        }
        return problems
    }
}
