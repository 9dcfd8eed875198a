/// Keras's `Bidirectional`: one recurrent layer over the sequence forwards and a copy over it
/// backwards, their outputs merged (`merge_mode` concat, sum, mul, ave; null returns both). The
/// backward layer is the given `backward_layer`, or one made from the forward layer's config with
/// `go_backwards` flipped; they are named `forward_<name>` and `backward_<name>` as in Keras. A
/// backward layer's sequence output is flipped back to the input's time order before merging.
/// With `return_state` the outputs are the merged output(s), then the forward states, then the
/// backward ones. Both layers output zeros at masked steps when they return sequences
/// (`zero_output_for_mask`), as Keras forces. The layer given is used as the forward layer
/// itself (renamed), where Keras makes a copy.
@Component(.layer)
open class Bidirectional: Layer {
    open override class var kerasClassName: String { "Bidirectional" }

    static let mergeModes = ["concat", "sum", "mul", "ave"]

    @Hyper("merge_mode", HyperCheck("one of concat, sum, mul, ave, or null") { $0.map(mergeModes.contains) ?? true })
    public var mergeMode: String? = "concat"
    @Hyper("layer") public var serializedLayer: NestedLayer<RecurrentLayer>
    @Hyper("backward_layer") public var serializedBackwardLayer: NestedLayer<RecurrentLayer>? = nil

    /// Why the two layers cannot work together (found when the layer is configured).
    private var configurationProblem: String?

    public convenience init(_ layer: RecurrentLayer, mergeMode: String? = "concat", backwardLayer: RecurrentLayer? = nil,
                            name: String? = nil, trainable: Bool = true) {
        self.init(mergeMode: mergeMode, serializedLayer: NestedLayer(layer),
                  serializedBackwardLayer: backwardLayer.map { NestedLayer($0) }, name: name, trainable: trainable)
    }

    public var forwardLayer: RecurrentLayer { serializedLayer.layer }
    /// The backward layer (made from the forward one's config when none was given).
    public var backwardLayer: RecurrentLayer { serializedBackwardLayer?.layer ?? serializedLayer.layer }

    open override var sublayers: [Sublayer] { [.one("forward_layer", forwardLayer), .one("backward_layer", backwardLayer)] }
    open override var supportsMasking: Bool { true }
    open override var acceptedCallArguments: Set<String> { ["mask", "initial_state"] }
    open override var usesTrainingFlag: Bool { forwardLayer.usesTrainingFlag || backwardLayer.usesTrainingFlag }

    open override func didConfigure() {
        let forward = forwardLayer
        forward.name = "forward_" + Self.removingPrefix("forward_", from: forward.name)
        if serializedBackwardLayer == nil {
            do {
                guard case .object(var serialized) = serializedLayer.configValue,
                      var config = serialized["config"]?.objectValue else {
                    throw KeelError("\(nameForMessages): layer", expected: "a layer config", found: "none")
                }
                config["go_backwards"] = .bool(!forward.goBackwards)
                config["name"] = .string("backward_" + Self.removingPrefix("forward_", from: forward.name))
                serialized["config"] = .object(config)
                serializedBackwardLayer = try NestedLayer(configValue: .object(serialized))
            } catch {
                configurationProblem = "the backward layer cannot be made from the forward layer's config: \(error)"
            }
        }
        for layer in [forward, backwardLayer] { layer.zeroOutputForMask = layer.returnSequences }
        if configurationProblem == nil { configurationProblem = mismatch() }
    }

    private static func removingPrefix(_ prefix: String, from name: String) -> String {
        name.hasPrefix(prefix) ? String(name.dropFirst(prefix.count)) : name
    }

    /// Keras's `_verify_layer_config`.
    private func mismatch() -> String? {
        let (forward, backward) = (forwardLayer, backwardLayer)
        if forward === backward { return "the backward layer must be another layer than the forward one" }
        if forward.goBackwards == backward.goBackwards {
            return "the forward and backward layers must have different go_backwards values (both \(forward.goBackwards))"
        }
        for (field, a, b) in [("stateful", forward.stateful, backward.stateful),
                              ("return_sequences", forward.returnSequences, backward.returnSequences),
                              ("return_state", forward.returnState, backward.returnState)] where a != b {
            return "the forward and backward layers must have the same \(field) (\(a) and \(b))"
        }
        return nil
    }

    open override func check() throws {
        try super.check()
        if let configurationProblem { throw KeelError(nameForMessages, expected: "a usable backward layer", found: configurationProblem) }
    }

    /// Zeroes both layers' carried states (stateful layers).
    public func resetStates() {
        forwardLayer.resetStates()
        backwardLayer.resetStates()
    }

    open override func outputShapes(for inputShapes: [[Int?]], arguments: CallArguments) throws -> [[Int?]] {
        _ = try singleInput(inputShapes, rank: 3...3, layout: "(batch, time, features)")
        let forward = try forwardLayer.checkInputs(inputShapes, arguments: .none)
        let backward = try backwardLayer.checkInputs(inputShapes, arguments: .none)
        guard var output = forward.first, let backwardOutput = backward.first else { return [] }
        let states = Array(forward.dropFirst()) + Array(backward.dropFirst())
        guard let mergeMode else { return [output, backwardOutput] + states }
        if mergeMode == "concat" {
            let (a, b) = (output[output.count - 1], backwardOutput[backwardOutput.count - 1])
            output[output.count - 1] = a.flatMap { a in b.map { a + $0 } }
        } else if output != backwardOutput {
            throw invalidInput(expected: "forward and backward outputs of one shape to \(mergeMode)",
                               found: "\(describeShape(output)) and \(describeShape(backwardOutput))")
        }
        return [output] + states
    }

    open override func outputShape(for inputShapes: [[Int?]]) throws -> [Int?] {
        try outputShapes(for: inputShapes, arguments: .none)[0]
    }

    open override func build(inputShape: [Int]) {
        for layer in [forwardLayer, backwardLayer] {
            layer.buildIfNeeded(inputShapes: [inputShape])
            layer.prefixWeightPaths(with: name)
        }
    }

    open override func outputMasks(for inputs: [Tensor], masks: [Tensor?], arguments: CallArguments,
                                   outputCount: Int) -> [Tensor?] {
        let mask = forwardLayer.returnSequences ? (masks.first ?? nil) : nil
        let merged: [Tensor?] = mergeMode == nil ? [mask, mask] : [mask]
        return merged + Array(repeating: nil, count: max(outputCount - merged.count, 0))
    }

    open override func call(_ input: Tensor, training: Bool) -> Tensor {
        callOutputs([input], arguments: .none, training: training)[0]
    }

    open override func call(_ inputs: [Tensor], arguments: CallArguments, training: Bool) -> Tensor {
        callOutputs(inputs, arguments: arguments, training: training)[0]
    }

    open override func callOutputs(_ inputs: [Tensor], arguments: CallArguments, training: Bool) -> [Tensor] {
        if let configurationProblem { OpCheck.fail("\(nameForMessages): \(configurationProblem)") }
        let (forward, backward) = (forwardLayer, backwardLayer)
        var forwardArguments = CallArguments(), backwardArguments = CallArguments()
        if let mask = arguments.optionalTensors("mask")?.first ?? nil {
            forwardArguments["mask"] = .tensor(mask)
            backwardArguments["mask"] = .tensor(mask)
        }
        if let states = arguments.tensors("initial_state") {
            let half = states.count / 2
            forwardArguments["initial_state"] = .tensors(Array(states[..<half]))
            backwardArguments["initial_state"] = .tensors(Array(states[half...]))
        }
        let forwardOutputs = forward.callOutputs(inputs, arguments: forwardArguments, training: training)
        let backwardOutputs = backward.callOutputs(inputs, arguments: backwardArguments, training: training)
        let y = forwardOutputs[0]
        var yReversed = backwardOutputs[0]
        if forward.returnSequences {
            let time = yReversed.shape[1]
            let reversed = Tensor(shape: [time], int32s: (0..<time).reversed().map { Int32($0) })
            yReversed = yReversed.gathering(reversed, axis: 1)
        }
        let states = Array(forwardOutputs.dropFirst()) + Array(backwardOutputs.dropFirst())
        let merged: [Tensor]
        switch mergeMode {
        case "concat"?: merged = [Tensor.concatenate([y, yReversed], axis: y.rank - 1)]
        case "sum"?: merged = [y + yReversed]
        case "mul"?: merged = [y * yReversed]
        case "ave"?: merged = [(y + yReversed) / 2]
        default: merged = [y, yReversed]
        }
        return merged + states
    }
}
