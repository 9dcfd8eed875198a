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

    func testEverySequenceLayerCaseMatchesKeras() throws {
        try checkEveryCase(of: "layers_sequence.json")
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
        // A list input (Attention's [query, value]) and separate positional inputs
        // (MultiHeadAttention's query, value, key) both reach Keel's call as its inputs.
        let multiInput = (testCase["multi_input"]?.boolValue ?? false) || (testCase["positional_inputs"]?.boolValue ?? false)
        let multiOutput = testCase["multi_output"]?.boolValue ?? false
        let training = testCase["training"]?.boolValue ?? false

        var arguments = try callArguments(testCase["call_kwargs"], perInputMasks: multiInput)
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

        if let expectedMask = testCase["output_mask"], !expectedMask.isNull {
            let callInputs = multiInput ? inputs : [inputs[0]]
            let outputCount = try layer.checkInputs(callInputs.map { $0.shape.map { $0 } }, arguments: arguments.flags).count
            let masks = layer.outputMasks(for: callInputs, masks: callInputs.map { _ in nil }, arguments: arguments,
                                          outputCount: outputCount)
            if let mask = masks.first ?? nil {
                problems += ParityValues.compare("output mask", mask, Self.numbersForBooleans(expectedMask), tolerance: 0)
            } else {
                problems.append("no output mask, Keras computed one")
            }
        }

        // `R` null: an integer or otherwise non-differentiable output, with no gradients at all.
        let rs = multiOutput ? (testCase["R"]?.arrayValue ?? []).map { Fixtures.tensor($0) } : [Fixtures.tensor(testCase["R"])]
        guard let r = rs.first ?? nil else {
            guard testCase["R"]?.isNull == true else { return problems + ["the case has no R"] }
            let output = layer(inputs, arguments: arguments, training: training)
            problems += ParityValues.compare("output", output, testCase["output"], tolerance: Self.tolerance)
            if output.dtype == .int32, output.dtype != ParityValues.tensor(testCase["output"])?.dtype {
                problems.append("output is int32, Keras wrote floats")
            }
            return problems
        }
        guard rs.allSatisfy({ $0 != nil }) else { return problems + ["an R entry is not a tensor"] }
        let tape = GradientTape(persistent: true)
        var watchedWeights: [Tensor] = []
        var outputs: [Tensor] = []
        var target = Tensor(0)
        // Float tensors among the call arguments (an RNN's `initial_state`) have gradients too.
        let initialState = arguments.tensors("initial_state") ?? []
        tape.record {
            for (input, isFloat) in zip(inputs, isFloatInput) where isFloat { tape.watch(input) }
            for state in initialState { tape.watch(state) }
            // Watched explicitly so non-trainable weights (moving statistics) get gradients too;
            // the values are captured before the call, which may assign new moving statistics.
            for variable in layer.weights { tape.watch(variable) }
            watchedWeights = layer.weights.map(\.value)
            outputs = layer.callAll(multiInput ? inputs : [inputs[0]], arguments: arguments, training: training)
            guard outputs.count == rs.count else { return }
            target = zip(outputs, rs).map { ($0 * $1!).sum() }.reduce(Tensor(0), +)
        }
        guard outputs.count == rs.count else {
            return problems + ["\(outputs.count) outputs, Keras returned \(rs.count)"]
        }
        if multiOutput {
            let expected = testCase["output"]?.arrayValue ?? []
            for (i, output) in outputs.enumerated() {
                problems += ParityValues.compare("output \(i)", output, i < expected.count ? expected[i] : nil, tolerance: Self.tolerance)
            }
        } else {
            problems += ParityValues.compare("output", outputs[0], testCase["output"], tolerance: Self.tolerance)
        }

        let floatInputs = zip(inputs, isFloatInput).filter(\.1).map(\.0)
        let gradients = tape.gradient(of: target, wrt: floatInputs + initialState + watchedWeights)
        if let expected = testCase["grad_call_kwargs"]?.objectValue?["initial_state"]?.arrayValue {
            guard expected.count == initialState.count else {
                return problems + ["\(expected.count) initial-state gradients for \(initialState.count) states"]
            }
            for (i, state) in initialState.enumerated() {
                let actual = gradients[floatInputs.count + i] ?? Tensor.zeros(state.shape)
                problems += ParityValues.compare("gradient of initial state \(i)", actual, expected[i], tolerance: Self.tolerance)
            }
        }
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
            let actual = gradients[floatInputs.count + initialState.count + i] ?? Tensor.zeros(watchedWeights[i].shape)
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

    /// The case's `call_kwargs` as typed call arguments: JSON booleans; masks (nested booleans)
    /// as float32 tensors of 0 and 1, one per input for a layer called on a list (Attention's
    /// [query mask, value mask], null for none); `initial_state` as its list of tensors; numbers
    /// or nested lists of numbers as tensors (int32 when every number is an integer).
    private func callArguments(_ value: JSONValue?, perInputMasks: Bool) throws -> CallArguments {
        guard let object = value?.objectValue else { return .none }
        var arguments = CallArguments()
        for (name, item) in object {
            if let flag = item.boolValue {
                arguments[name] = .bool(flag)
            } else if name.hasSuffix("mask") {
                if perInputMasks && name == "mask" {
                    arguments[name] = .optionalTensors((item.arrayValue ?? []).map { $0.isNull ? nil : Self.booleansAsNumbers($0) })
                } else if let mask = Self.booleansAsNumbers(item) {
                    arguments[name] = .tensor(mask)
                } else {
                    throw KeelError("call argument '\(name)'", expected: "nested booleans", found: item.summary)
                }
            } else if name == "initial_state", let states = item.arrayValue {
                let tensors = states.compactMap { Fixtures.tensor($0) }
                guard tensors.count == states.count else {
                    throw KeelError("call argument '\(name)'", expected: "a list of tensors", found: item.summary)
                }
                arguments[name] = .tensors(tensors)
            } else if let tensor = ParityValues.tensor(item), !tensor.scalars.contains(where: \.isNaN) {
                arguments[name] = .tensor(tensor)
            } else {
                throw KeelError("call argument '\(name)'", expected: "a boolean or a tensor", found: item.summary)
            }
        }
        return arguments
    }

    /// Nested JSON booleans as a float32 tensor of 1 (true) and 0 (false): Keel's masks.
    static func booleansAsNumbers(_ value: JSONValue) -> Tensor? {
        numbersForBooleans(value).flatMap { Fixtures.tensor($0) }
    }

    static func numbersForBooleans(_ value: JSONValue) -> JSONValue? {
        func convert(_ v: JSONValue) -> JSONValue? {
            switch v {
            case .bool(let b): return .double(b ? 1 : 0)
            case .array(let items):
                let converted = items.compactMap(convert)
                return converted.count == items.count ? .array(converted) : nil
            default: return nil
            }
        }
        return convert(value)
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
