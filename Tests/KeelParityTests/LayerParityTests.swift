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
        try checkEveryCase(of: "activations_layers.json")
    }

    func testEveryVisionLayerCaseMatchesKeras() throws {
        try checkEveryCase(of: "layers_vision.json")
    }

    private func checkEveryCase(of file: String) throws {
        try Fixtures.checkEveryCase(of: file) { testCase, className in
            do {
                return try differences(testCase, className: className)
            } catch {
                return ["\(error)"]
            }
        }
    }

    /// What differs between Keel and the case; empty when they agree.
    private func differences(_ testCase: JSONObject, className: String) throws -> [String] {
        guard let expectedConfig = testCase["config"]?.objectValue else { return ["the case has no config"] }
        let layer = try Registries.layers.make(className, config: expectedConfig)
        var problems = configDifferences(layer.config, expectedConfig)

        guard let inputValues = testCase["inputs"]?.arrayValue, !inputValues.isEmpty else { return ["the case has no inputs"] }
        // A null gradient entry (or a null list) marks integer inputs, e.g. Embedding's ids.
        let inputGradients = testCase["grad_inputs"]?.arrayValue
        let isFloatInput = inputValues.indices.map { i in
            inputGradients.map { i < $0.count && !$0[i].isNull } ?? false
        }
        // Without any gradient entry (layers whose output has no gradient: CategoryEncoding,
        // Discretization, IntegerLookup) the JSON says the dtype: integers or floats.
        let inputs = inputValues.enumerated().compactMap { i, value in
            inputGradients == nil ? ParityValues.tensor(value) : isFloatInput[i] ? Fixtures.tensor(value) : Fixtures.intTensor(value)
        }
        guard inputs.count == inputValues.count else { return ["an input is not a tensor"] }
        let multiInput = testCase["multi_input"]?.boolValue ?? false
        let training = testCase["training"]?.boolValue ?? false

        let arguments = try callArguments(testCase["call_kwargs"])
        try layer.checkCallArguments(arguments)

        // `adapt_data`: the layer's state comes from adapt, and the case's weights are what adapt
        // must have computed; otherwise the case's weights are set.
        let adaptData = testCase["adapt_data"].flatMap { Fixtures.tensor($0) }
        if let adaptData {
            guard let adaptable = layer as? AdaptableLayer else { return problems + ["the case adapts a layer that cannot adapt"] }
            try adaptable.adapt(adaptData)
        }
        layer.buildIfNeeded(inputShapes: inputs.map(\.shape))
        let weightEntries = testCase["weights"]?.arrayValue?.compactMap(\.objectValue) ?? []
        let names = layer.weights.map(\.name), kerasNames = weightEntries.map { $0["name"]?.stringValue ?? "" }
        guard names == kerasNames else { return problems + ["weights \(names), Keras \(kerasNames)"] }
        if layer.weights.map(\.trainable) != weightEntries.map({ $0["trainable"]?.boolValue ?? true }) {
            problems.append("which weights are trainable differs")
        }
        if adaptData != nil {
            for (variable, entry) in zip(layer.weights, weightEntries) {
                problems += ParityValues.compare("adapted weight '\(variable.name)'", variable.value, entry["value"],
                                                 tolerance: Self.tolerance)
            }
        } else {
            let weightValues = weightEntries.compactMap { ParityValues.tensor($0["value"]) }
            guard weightValues.count == weightEntries.count else { return problems + ["a weight has no value"] }
            // Keras's set_weights casts each array to its variable's dtype; Keel's refuses a
            // mismatch, so the harness casts as Keras would.
            try layer.setWeights(zip(layer.weights, weightValues).map { variable, value in
                value.dtype == variable.dtype ? value : value.cast(to: variable.dtype)
            })
        }

        // `R` null: an integer or otherwise non-differentiable output, with no gradients at all.
        guard let r = Fixtures.tensor(testCase["R"]) else {
            guard testCase["R"]?.isNull == true else { return problems + ["the case has no R"] }
            let output = layer(inputs, arguments: arguments, training: training)
            problems += ParityValues.compare("output", output, testCase["output"], tolerance: Self.tolerance)
            if output.dtype == .int32, output.dtype != ParityValues.tensor(testCase["output"])?.dtype {
                problems.append("output is int32, Keras wrote floats")
            }
            return problems
        }
        let tape = GradientTape(persistent: true)
        var watchedWeights: [Tensor] = []
        var output = Tensor(0)
        var target = Tensor(0)
        tape.record {
            for (input, isFloat) in zip(inputs, isFloatInput) where isFloat { tape.watch(input) }
            // Watched explicitly so non-trainable weights (moving statistics) get gradients too;
            // the values are captured before the call, which may assign new moving statistics.
            for variable in layer.weights { tape.watch(variable) }
            watchedWeights = layer.weights.map(\.value)
            output = multiInput ? layer(inputs, arguments: arguments, training: training)
                : layer([inputs[0]], arguments: arguments, training: training)
            target = (output * r).sum()
        }
        problems += ParityValues.compare("output", output, testCase["output"], tolerance: Self.tolerance)

        let floatInputs = zip(inputs, isFloatInput).filter(\.1).map(\.0)
        let gradients = tape.gradient(of: target, wrt: floatInputs + watchedWeights)
        var floatIndex = 0
        for (i, isFloat) in isFloatInput.enumerated() where isFloat {
            // A source the output does not depend on has no gradient on the tape: Keras reports zeros.
            let actual = gradients[floatIndex] ?? Tensor.zeros(floatInputs[floatIndex].shape)
            problems += ParityValues.compare("gradient of input \(i)", actual, inputGradients?[i], tolerance: Self.tolerance)
            floatIndex += 1
        }
        // A null list: Keras's call read no weight (Normalization after adapt reads constants).
        if testCase["grad_weights"]?.isNull == true { return problems }
        let expectedWeightGradients = testCase["grad_weights"]?.arrayValue?.compactMap(\.objectValue) ?? []
        guard expectedWeightGradients.count == watchedWeights.count else {
            return problems + ["\(expectedWeightGradients.count) weight gradients for \(watchedWeights.count) weights"]
        }
        // A null value: an integer weight, which has no gradient (Normalization's `count`).
        for (i, entry) in expectedWeightGradients.enumerated() where entry["value"]?.isNull != true {
            let actual = gradients[floatInputs.count + i] ?? Tensor.zeros(watchedWeights[i].shape)
            problems += ParityValues.compare("gradient of weight '\(entry["name"]?.stringValue ?? "\(i)")'", actual,
                                             entry["value"], tolerance: Self.tolerance)
        }

        if let updated = testCase["updated_non_trainable"]?.arrayValue?.compactMap(\.objectValue) {
            let nonTrainable = layer.weights.filter { !$0.trainable }
            if nonTrainable.map(\.name) != updated.map({ $0["name"]?.stringValue ?? "" }) {
                problems.append("updated non-trainable weights \(nonTrainable.map(\.name))")
            }
            for (variable, entry) in zip(nonTrainable, updated) {
                problems += ParityValues.compare("'\(variable.name)' after the call", variable.value, entry["value"],
                                                 tolerance: Self.tolerance)
            }
        }
        return problems
    }

    /// The case's `call_kwargs` as typed call arguments: JSON booleans, and numbers or nested
    /// lists of numbers as tensors (int32 when every number is an integer).
    private func callArguments(_ value: JSONValue?) throws -> CallArguments {
        guard let object = value?.objectValue else { return .none }
        var arguments = CallArguments()
        for (name, item) in object {
            if let flag = item.boolValue {
                arguments[name] = .bool(flag)
            } else if let tensor = ParityValues.tensor(item), !tensor.scalars.contains(where: \.isNaN) {
                arguments[name] = .tensor(tensor)
            } else {
                throw KeelError("call argument '\(name)'", expected: "a boolean or a tensor", found: item.summary)
            }
        }
        return arguments
    }

    /// Same keys in the same order, and equal values (ints stay ints, floats stay floats); then
    /// the whole text, which also checks the key order inside nested objects (initializers).
    private func configDifferences(_ actual: JSONObject, _ expected: JSONObject) -> [String] {
        var problems: [String] = []
        if actual.keys != expected.keys { problems.append("config keys \(actual.keys), Keras \(expected.keys)") }
        for key in expected.keys where actual[key] != expected[key] {
            problems.append("config '\(key)' is \(actual[key]?.serialized() ?? "absent"), Keras wrote \(expected[key]!.serialized())")
        }
        if problems.isEmpty, JSONValue.object(actual).serialized() != JSONValue.object(expected).serialized() {
            problems.append("config text differs: \(JSONValue.object(actual).serialized())")
        }
        return problems
    }
}
