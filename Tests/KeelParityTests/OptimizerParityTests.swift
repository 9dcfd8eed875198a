import XCTest
import Keel

/// Every case of `optimizers.json`: the optimizer is built from its Keras class name and
/// constructor arguments through the registry, applied for four steps to a `Dense(2)` layer's
/// kernel and bias, and compared with what Keras computed: the variables after each step, the
/// optimizer's own variables (names, paths, dtypes, values, in Keras's order), `iterations`, and
/// `get_config()`.
final class OptimizerParityTests: XCTestCase {
    /// The fixtures README's suggestion for single float32 steps. Each update is a handful of
    /// float32 operations in Keras's order, so no optimizer needs the looser 1e-4: every case
    /// agreed within 1e-7 when this was written; pow and sqrt may still differ from XLA's by an ulp.
    private let tolerance: Float = 1e-5

    func testEveryOptimizerCaseMatchesKeras() throws {
        let cases = try Fixtures.cases("optimizers.json")
        var checkedPerClass: [String: Int] = [:]
        for fixture in cases {
            let id = fixture["id"]?.stringValue ?? "<case without id>"
            guard let className = fixture["class_name"]?.stringValue else {
                XCTFail("\(id): no class_name")
                continue
            }
            if check(fixture, id: id, className: className) {
                checkedPerClass[className, default: 0] += 1
            }
        }
        for (className, count) in checkedPerClass.sorted(by: { $0.key < $1.key }) {
            print("OptimizerParity: \(className): \(count) case(s) checked")
        }
        print("OptimizerParity: \(checkedPerClass.values.reduce(0, +)) of \(cases.count) cases checked")
    }

    /// Runs one case; false when it could not be run at all (the failure is already recorded).
    private func check(_ fixture: JSONObject, id: String, className: String) -> Bool {
        guard Registries.optimizers.contains(className) else {
            XCTFail("\(id): optimizer class '\(className)' is not registered")
            return false
        }
        // Keras numbered default names per session and the generator used a fresh one per case.
        Naming.reset()
        let optimizer: Optimizer
        do {
            optimizer = try Registries.optimizers.make(className, config: fixture["init_args"]?.objectValue ?? [:])
        } catch {
            XCTFail("\(id): building \(className) failed: \(error)")
            return false
        }
        guard let variables = modelVariables(fixture, id: id),
              let gradientSteps = fixture["gradients"]?.arrayValue,
              let expectedSteps = fixture["variables_after_step"]?.arrayValue,
              gradientSteps.count == expectedSteps.count else {
            XCTFail("\(id): fixture lacks variables, gradients or variables_after_step")
            return false
        }
        for (step, (gradients, expected)) in zip(gradientSteps, expectedSteps).enumerated() {
            let stepGradients = (gradients.arrayValue ?? []).map { Fixtures.tensor($0) }
            guard stepGradients.count == variables.count else {
                XCTFail("\(id): step \(step) has \(stepGradients.count) gradients for \(variables.count) variables")
                return false
            }
            optimizer.apply(stepGradients, to: variables)
            for (variable, value) in zip(variables, expected.arrayValue ?? []) {
                Fixtures.assertClose(variable.value, Fixtures.tensor(value), tolerance: tolerance,
                                     "\(id): \(variable.path) after step \(step + 1)")
            }
        }
        compareOptimizerVariables(optimizer, fixture, id: id)
        XCTAssertEqual(optimizer.iterations, fixture["iterations"]?.intValue, "\(id): iterations")
        compareConfig(optimizer.config, fixture["config"]?.objectValue, id: id)
        return true
    }

    /// The layer's variables with the names and paths Keras gave them (`dense/kernel`, `dense/bias`).
    private func modelVariables(_ fixture: JSONObject, id: String) -> [Variable]? {
        guard let entries = fixture["variables"]?.arrayValue?.compactMap(\.objectValue), !entries.isEmpty else { return nil }
        var variables: [Variable] = []
        for entry in entries {
            guard let name = entry["name"]?.stringValue, let path = entry["path"]?.stringValue,
                  let initial = Fixtures.tensor(entry["initial"]) else { return nil }
            variables.append(Variable(initial, name: name, path: path))
        }
        return variables
    }

    private func compareOptimizerVariables(_ optimizer: Optimizer, _ fixture: JSONObject, id: String) {
        let expected = fixture["optimizer_variables"]?.arrayValue?.compactMap(\.objectValue) ?? []
        let actual = optimizer.variables
        XCTAssertEqual(actual.map(\.path), expected.map { $0["path"]?.stringValue ?? "?" },
                       "\(id): optimizer variable paths (Keras order)")
        guard actual.count == expected.count else { return }
        for (variable, entry) in zip(actual, expected) {
            XCTAssertEqual(variable.name, entry["name"]?.stringValue, "\(id): name of \(variable.path)")
            XCTAssertEqual(variable.dtype.rawValue, entry["dtype"]?.stringValue, "\(id): dtype of \(variable.path)")
            if variable.dtype == .int32 {
                XCTAssertEqual(variable.value.int32Scalars, Fixtures.intTensor(entry["value"])?.int32Scalars,
                               "\(id): value of \(variable.path)")
            } else {
                Fixtures.assertClose(variable.value, Fixtures.tensor(entry["value"]), tolerance: tolerance,
                                     "\(id): value of \(variable.path)")
            }
        }
    }

    private func compareConfig(_ actual: JSONObject, _ expected: JSONObject?, id: String) {
        guard let expected else { return XCTFail("\(id): fixture has no config") }
        let differing = Set(actual.keys).union(expected.keys).sorted().filter { actual[$0] != expected[$0] }
        let described = differing.map { key in
            "\(key): \(actual[key]?.summary ?? "absent") instead of \(expected[key]?.summary ?? "absent")"
        }
        XCTAssertTrue(differing.isEmpty, "\(id): config differs from Keras's get_config(): \(described.joined(separator: "; "))")
    }
}
