/// Keras's `Concatenate`: joins its inputs along `axis`; the other dimensions must agree.
@Component(.layer)
open class Concatenate: Layer {
    open override class var kerasClassName: String { "Concatenate" }
    /// Keras's `supports_masking`: the input's mask passes through.
    open override var supportsMasking: Bool { true }

    @Hyper("axis") public var axis = -1

    open override var inputCount: InputCount { .atLeastTwo }

    open override func outputShape(for inputShapes: [[Int?]]) throws -> [Int?] {
        let first = inputShapes[0]
        let joined = try checkedAxis(axis, rank: first.count, shapes: inputShapes)
        let agree = inputShapes.allSatisfy { shape in
            shape.count == first.count && shape.indices.allSatisfy { i in
                i == joined || shape[i] == nil || first[i] == nil || shape[i] == first[i]
            }
        }
        guard agree else { throw invalidInput(expected: "inputs of one rank, equal outside axis \(axis)", found: inputShapes) }
        var output = first.indices.map { i in inputShapes.lazy.compactMap { $0[i] }.first }
        let sizes = inputShapes.map { $0[joined] }
        output[joined] = sizes.contains(nil) ? nil : sizes.reduce(0) { $0 + $1! }
        return output
    }

    /// Integer inputs stay integers when all of them are.
    open override func outputDType(for inputDTypes: [DType]) -> DType {
        inputDTypes.allSatisfy { $0 == .int32 } ? .int32 : .float32
    }

    /// Keras's `Concatenate.compute_mask`: each input's mask widened to the input's shape (all
    /// ones for an input without one), joined along `axis`, then any() over the last axis.
    open override func outputMasks(for inputs: [Tensor], masks: [Tensor?], arguments: CallArguments,
                                   outputCount: Int) -> [Tensor?] {
        guard masks.contains(where: { $0 != nil }), masks.count == inputs.count else { return [nil] }
        let widened = zip(inputs, masks).map { input, mask -> Tensor in
            guard let mask else { return Tensor.ones(input.shape) }
            guard mask.rank < input.rank else { return mask }
            return mask.expandingDims(at: mask.rank).broadcasted(to: input.shape)
        }
        let joined = Tensor.concatenate(widened, axis: axis)
        return [joined.max(axes: [joined.rank - 1])]
    }

    open override func call(_ inputs: [Tensor], training: Bool) -> Tensor {
        Tensor.concatenate(inputs, axis: axis)
    }
}
