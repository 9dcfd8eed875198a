/// Keras's `RepeatVector`: each (batch, features) vector repeated `n` times into a
/// (batch, n, features) sequence; the gradient sums the copies.
@Component(.layer)
open class RepeatVector: Layer {
    open override class var kerasClassName: String { "RepeatVector" }

    @Hyper("n", .inRange(1...(1 << 24))) public var n: Int

    open override func outputShape(for inputShapes: [[Int?]]) throws -> [Int?] {
        let shape = try singleInput(inputShapes, rank: 2...2, layout: "(batch, features)")
        if let features = shape[1], let problem = ShapeMath.problem(with: [n, features]) {
            throw invalidInput(expected: "\(n) repeats of the features that fit in memory", found: "an output whose \(problem)")
        }
        return [shape[0], n, shape[1]]
    }

    /// Repeating keeps integer inputs integers.
    open override func outputDType(for inputDTypes: [DType]) -> DType { inputDTypes[0] }

    open override func call(_ input: Tensor, training: Bool) -> Tensor {
        input.expandingDims(at: 1).broadcasted(to: [input.shape[0], n, input.shape[1]])
    }
}
