/// Keras's `Add`: the elementwise sum of its inputs (broadcasting as NumPy does).
open class Add: Layer {
    open override class var kerasClassName: String { "Add" }

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

    open override func call(_ inputs: [Tensor], training: Bool) -> Tensor {
        inputs.dropFirst().reduce(inputs[0], +)
    }
}
