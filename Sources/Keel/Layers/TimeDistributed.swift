/// Keras's `TimeDistributed`: applies its `layer` to every step of the time axis (axis 1), the
/// same weights at every step. The steps are folded into the batch for one call of the inner
/// layer, then unfolded; in training, a layer that behaves differently then is called once per
/// step, as Keras does. The inner layer is built for one step's shape (batch, *step shape), its
/// weights saved under `layer` with paths `time_distributed/dense/kernel`; a `mask` (batch, time)
/// reaches an inner layer that takes one, folded the same way, and passes through to the output.
@Component(.layer)
open class TimeDistributed: Layer {
    open override class var kerasClassName: String { "TimeDistributed" }

    @Hyper("layer") public var wrapped: NestedLayer<Layer>

    public var layer: Layer { wrapped.layer }

    /// `TimeDistributed(Dense(units: 2))`.
    public convenience init(_ layer: Layer, name: String? = nil) {
        self.init(wrapped: NestedLayer(layer), name: name)
    }

    open override var sublayers: [Sublayer] { [.one("layer", layer)] }
    open override var supportsMasking: Bool { true }
    open override var acceptedCallArguments: Set<String> { ["mask"] }
    open override var usesTrainingFlag: Bool { layer.usesTrainingFlag }

    open override func check() throws {
        try super.check()
        guard layer.inputCount.allows(1) else {
            throw invalidInput(expected: "an inner layer that takes one input", found: "\(type(of: layer).kerasClassName)")
        }
    }

    open override func outputShape(for inputShapes: [[Int?]]) throws -> [Int?] {
        let shape = try singleInput(inputShapes, rank: 3...8, layout: "(batch, time, ...)")
        let step = try layer.checkInputs([[shape[0]] + shape.dropFirst(2)])
        guard !step.isEmpty else { throw invalidInput(expected: "an inner layer with a batch axis", found: inputShapes) }
        return [step[0], shape[1]] + step.dropFirst()
    }

    open override func outputDType(for inputDTypes: [DType]) -> DType { layer.outputDType(for: inputDTypes) }

    open override func build(inputShape: [Int]) {
        layer.buildIfNeeded(inputShapes: [[inputShape[0]] + inputShape.dropFirst(2)])
        layer.prefixWeightPaths(with: name)
    }

    open override func call(_ inputs: [Tensor], training: Bool) -> Tensor {
        call(inputs, arguments: .none, training: training)
    }

    open override func call(_ inputs: [Tensor], arguments: CallArguments, training: Bool) -> Tensor {
        let input = inputs[0]
        let batch = input.shape[0], steps = input.shape[1]
        let mask = layer.acceptedCallArguments.contains("mask")
            ? (arguments.tensor("mask") ?? arguments.optionalTensors("mask")?.first ?? nil) : nil
        if let mask {
            opCheck(mask.rank >= 2 && mask.shape[0] == batch && mask.shape[1] == steps,
                    "\(nameForMessages): a mask of shape \(mask.shape) for an input of shape \(input.shape)")
        }
        // In training a layer may use the batch's statistics (BatchNormalization): Keras calls it
        // once per step, so its statistics are per step and its moving averages move once per step.
        if training && layer.usesTrainingFlag {
            let stepMasks = mask?.unstacked(axis: 1)
            let outputs = input.unstacked(axis: 1).enumerated().map { step, x in
                callInner(x, mask: stepMasks?[step], training: training)
            }
            return Tensor.stack(outputs, axis: 1)
        }
        let folded = input.reshaped([batch * steps] + input.shape.dropFirst(2))
        let foldedMask = mask.map { $0.reshaped([batch * steps] + $0.shape.dropFirst(2)) }
        let output = callInner(folded, mask: foldedMask, training: training)
        return output.reshaped([batch, steps] + output.shape.dropFirst())
    }

    /// The inner layer's `call` (not its `__call__`, as Keras's step function: no activity penalty).
    private func callInner(_ x: Tensor, mask: Tensor?, training: Bool) -> Tensor {
        let arguments = mask.map { CallArguments(["mask": .tensor($0)]) } ?? .none
        let outputs = layer.callOutputs([x], arguments: arguments, training: training)
        opCheck(outputs.count == 1, "\(nameForMessages): the inner layer returned \(outputs.count) tensors")
        return outputs[0]
    }
}
