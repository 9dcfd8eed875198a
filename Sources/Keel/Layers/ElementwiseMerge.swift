/// What Keras's elementwise merge layers (Add, Subtract, Multiply, Average, Maximum, Minimum)
/// share: at least two inputs of one rank whose sizes agree or are 1 along each axis (broadcast
/// as NumPy does). Each subclass supplies `merge`.
open class ElementwiseMerge: Layer {
    open override var inputCount: InputCount { .atLeastTwo }

    /// Keras's elementwise merge rule: equal ranks, and along each axis equal sizes or size 1.
    open override func outputShape(for inputShapes: [[Int?]]) throws -> [Int?] {
        let first = inputShapes[0]
        return try inputShapes.dropFirst().reduce(first) { output, shape in
            guard shape.count == output.count else {
                throw invalidInput(expected: "inputs of one rank", found: inputShapes)
            }
            return try zip(output, shape).map { a, b in
                guard let a, let b else { return nil }
                guard a == b || a == 1 || b == 1 else {
                    throw invalidInput(expected: "inputs of one shape (or of size 1 where they differ)", found: inputShapes)
                }
                return max(a, b)
            }
        }
    }

    /// The inputs combined, in order.
    open func merge(_ inputs: [Tensor]) -> Tensor {
        OpCheck.fail("\(type(of: self)) must override merge(_:)")
    }

    open override func call(_ inputs: [Tensor], training: Bool) -> Tensor {
        merge(inputs)
    }
}
