/// What Keras's elementwise merge layers (Add, Subtract, Multiply, Average, Maximum, Minimum)
/// share: at least two inputs whose sizes agree or are 1 along each axis (broadcast as NumPy
/// does). Inputs of lower rank line up with the others' last axes, as Keras's `Merge` expands
/// them after the batch axis. Each subclass supplies `merge`.
open class ElementwiseMerge: Layer {
    open override var inputCount: InputCount { .atLeastTwo }
    open override var supportsMasking: Bool { true }

    /// Keras's `Merge.compute_mask`: the OR of the inputs' masks, none when any input has none.
    open override func outputMasks(for inputs: [Tensor], masks: [Tensor?], arguments: CallArguments,
                                   outputCount: Int) -> [Tensor?] {
        guard !masks.isEmpty, masks.allSatisfy({ $0 != nil }) else { return [nil] }
        return [masks.dropFirst().reduce(masks[0]!) { $0.maximum($1!) }]
    }

    /// Keras's elementwise merge rule: batch sizes that agree, and the other axes, aligned on
    /// the last one, of equal sizes or size 1.
    open override func outputShape(for inputShapes: [[Int?]]) throws -> [Int?] {
        guard inputShapes.allSatisfy({ !$0.isEmpty }) else {
            throw invalidInput(expected: "inputs with a batch axis", found: inputShapes)
        }
        let rank = inputShapes.map(\.count).max()!
        let aligned = inputShapes.map { shape in [shape[0]] + [Int?](repeating: 1, count: rank - shape.count) + shape.dropFirst() }
        return try aligned.dropFirst().reduce(aligned[0]) { output, shape in
            try zip(output, shape).map { a, b in
                guard let a, let b else { return nil }
                guard a == b || a == 1 || b == 1 else {
                    throw invalidInput(expected: "inputs of one shape (or of size 1 where they differ)", found: inputShapes)
                }
                return max(a, b)
            }
        }
    }

    /// The inputs combined, in order, all of one rank.
    open func merge(_ inputs: [Tensor]) -> Tensor {
        OpCheck.fail("\(type(of: self)) must override merge(_:)")
    }

    open override func call(_ inputs: [Tensor], training: Bool) -> Tensor {
        let rank = inputs.map(\.rank).max()!
        return merge(inputs.map { x in
            x.rank == rank ? x : x.reshaped([x.shape[0]] + [Int](repeating: 1, count: rank - x.rank) + x.shape.dropFirst())
        })
    }
}
