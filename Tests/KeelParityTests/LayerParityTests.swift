import Foundation
import XCTest
import Keel

/// Every case of activations_layers.json: the layer is rebuilt from its Keras config through the
/// registry, given the fixture's weights and called on its inputs; its output, the gradients of
/// sum(output · R) with respect to every float input and every weight (non-trainable ones too),
/// the moving statistics BatchNormalization updated in training, and its own config must all
/// match what Keras computed. No case is named here: the fixture file drives everything.
final class LayerParityTests: XCTestCase {
    /// Float32 single ops agree to ~1e-6; 1e-5 (relative and absolute) leaves room for summation
    /// order (BLAS, im2col) over the short sums these small cases have.
    static let tolerance: Float = 1e-5

    func testEveryLayerCaseMatchesKeras() throws {
        let cases = try Fixtures.cases("activations_layers.json")
        var checkedPerClass: [String: Int] = [:]
        var failedPerClass: [String: Int] = [:]
        for testCase in cases {
            let id = testCase["id"]?.stringValue ?? "<case without id>"
            guard let className = testCase["class_name"]?.stringValue else {
                XCTFail("\(id): no class_name")
                continue
            }
            guard Registries.layers.contains(className) else {
                XCTFail("\(id): layer class '\(className)' is not registered")
                continue
            }
            let failuresBefore = testRun?.totalFailureCount ?? 0
            do {
                try check(testCase, id: id, className: className)
            } catch {
                XCTFail("\(id): \(error)")
            }
            checkedPerClass[className, default: 0] += 1
            if (testRun?.totalFailureCount ?? 0) > failuresBefore { failedPerClass[className, default: 0] += 1 }
        }
        for (className, count) in checkedPerClass.sorted(by: { $0.key < $1.key }) {
            print("LayerParity: \(className): \(count) case(s) checked, \(failedPerClass[className] ?? 0) failed")
        }
        print("LayerParity: \(checkedPerClass.values.reduce(0, +)) of \(cases.count) cases checked, "
              + "\(failedPerClass.values.reduce(0, +)) failed")
    }

    private func check(_ testCase: JSONObject, id: String, className: String) throws {
        let expectedConfig = try XCTUnwrap(testCase["config"]?.objectValue, "\(id): no config")
        let layer = try Registries.layers.make(className, config: expectedConfig)
        assertConfig(layer.config, expectedConfig, id: id)

        let inputValues = try XCTUnwrap(testCase["inputs"]?.arrayValue, "\(id): no inputs")
        // A null gradient entry (or a null list) marks integer inputs, e.g. Embedding's ids.
        let inputGradients = testCase["grad_inputs"]?.arrayValue
        let isFloatInput = inputValues.indices.map { i in
            inputGradients.map { i < $0.count && !$0[i].isNull } ?? false
        }
        let inputs = try inputValues.enumerated().map { i, value in
            try XCTUnwrap(isFloatInput[i] ? Fixtures.tensor(value) : Fixtures.intTensor(value), "\(id): input \(i)")
        }
        let multiInput = testCase["multi_input"]?.boolValue ?? false
        let training = testCase["training"]?.boolValue ?? false

        layer.buildIfNeeded(inputShapes: inputs.map(\.shape))
        let weightEntries = testCase["weights"]?.arrayValue?.compactMap(\.objectValue) ?? []
        XCTAssertEqual(layer.weights.map(\.name), weightEntries.map { $0["name"]?.stringValue ?? "" },
                       "\(id): weight names and order")
        XCTAssertEqual(layer.weights.map(\.trainable), weightEntries.map { $0["trainable"]?.boolValue ?? true },
                       "\(id): which weights are trainable")
        try layer.setWeights(weightEntries.enumerated().map { i, entry in
            try XCTUnwrap(Fixtures.tensor(entry["value"]), "\(id): weight \(i) value")
        })

        let r = try XCTUnwrap(Fixtures.tensor(testCase["R"]), "\(id): no R")
        let tape = GradientTape(persistent: true)
        var weightValues: [Tensor] = []
        var output = Tensor(0)
        var target = Tensor(0)
        tape.record {
            for (input, isFloat) in zip(inputs, isFloatInput) where isFloat { tape.watch(input) }
            // Watched explicitly so non-trainable weights (moving statistics) get gradients too;
            // the values are captured before the call, which may assign new moving statistics.
            for variable in layer.weights { tape.watch(variable) }
            weightValues = layer.weights.map(\.value)
            output = multiInput ? layer(inputs, training: training) : layer(inputs[0], training: training)
            target = (output * r).sum()
        }
        Fixtures.assertClose(output, Fixtures.tensor(testCase["output"]), tolerance: Self.tolerance, "\(id): output")

        let floatInputs = zip(inputs, isFloatInput).filter(\.1).map(\.0)
        let gradients = tape.gradient(of: target, wrt: floatInputs + weightValues)
        var floatIndex = 0
        for (i, isFloat) in isFloatInput.enumerated() where isFloat {
            let expected = Fixtures.tensor(inputGradients?[i])
            // A source the output does not depend on has no gradient on the tape: Keras reports zeros.
            let actual = gradients[floatIndex] ?? expected.map { Tensor.zeros($0.shape) }
            Fixtures.assertClose(actual, expected, tolerance: Self.tolerance, "\(id): gradient of input \(i)")
            floatIndex += 1
        }
        let expectedWeightGradients = testCase["grad_weights"]?.arrayValue?.compactMap(\.objectValue) ?? []
        XCTAssertEqual(expectedWeightGradients.count, weightValues.count, "\(id): number of weight gradients")
        for (i, entry) in expectedWeightGradients.enumerated() where i < weightValues.count {
            let expected = Fixtures.tensor(entry["value"])
            let actual = gradients[floatInputs.count + i] ?? Tensor.zeros(weightValues[i].shape)
            Fixtures.assertClose(actual, expected, tolerance: Self.tolerance,
                                 "\(id): gradient of weight '\(entry["name"]?.stringValue ?? "\(i)")'")
        }

        if let updated = testCase["updated_non_trainable"]?.arrayValue?.compactMap(\.objectValue) {
            let nonTrainable = layer.weights.filter { !$0.trainable }
            XCTAssertEqual(nonTrainable.map(\.name), updated.map { $0["name"]?.stringValue ?? "" },
                           "\(id): updated non-trainable weights")
            for (variable, entry) in zip(nonTrainable, updated) {
                Fixtures.assertClose(variable.value, Fixtures.tensor(entry["value"]), tolerance: Self.tolerance,
                                     "\(id): '\(variable.name)' after the call")
            }
        }
    }

    /// Same keys in the same order, and equal values (ints stay ints, floats stay floats); then
    /// the whole text, which also checks the key order inside nested objects (initializers).
    private func assertConfig(_ actual: JSONObject, _ expected: JSONObject, id: String) {
        XCTAssertEqual(actual.keys, expected.keys, "\(id): config keys")
        for key in expected.keys where actual[key] != expected[key] {
            XCTFail("\(id): config '\(key)' is \(actual[key]?.serialized() ?? "absent"), Keras wrote \(expected[key]!.serialized())")
        }
        XCTAssertEqual(JSONValue.object(actual).serialized(), JSONValue.object(expected).serialized(), "\(id): config text")
    }
}
