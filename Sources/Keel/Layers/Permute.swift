/// Keras's `Permute`: the axes of each sample reordered; `dims` lists, for each output axis, the
/// input axis it takes (counting from 1, the batch axis stays first).
@Component(.layer)
open class Permute: Layer {
    open override class var kerasClassName: String { "Permute" }

    @Hyper("dims", HyperCheck("a permutation of 1...n (the sample's axes, batch excluded)") { dims in
        !dims.isEmpty && dims.sorted() == Array(1...dims.count)
    })
    public var dims: [Int]

    open override func outputShape(for inputShapes: [[Int?]]) throws -> [Int?] {
        let rank = dims.count + 1
        let shape = try singleInput(inputShapes, rank: rank...rank)
        return [shape[0]] + dims.map { shape[$0] }
    }

    /// Moving axes keeps integer inputs integers.
    open override func outputDType(for inputDTypes: [DType]) -> DType { inputDTypes[0] }

    open override func call(_ input: Tensor, training: Bool) -> Tensor { input.transposed([0] + dims) }
}
