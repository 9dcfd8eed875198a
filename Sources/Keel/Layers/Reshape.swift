/// Keras's `Reshape`: each sample takes `targetShape` (the batch dimension is kept); one entry
/// may be -1, inferred from the others.
@Component(.layer)
open class Reshape: Layer {
    open override class var kerasClassName: String { "Reshape" }

    @Hyper("target_shape", HyperCheck("positive sizes and at most one -1") { shape in
        shape.allSatisfy { $0 > 0 || $0 == -1 } && shape.filter { $0 == -1 }.count <= 1
    })
    public var targetShape: [Int]

    /// The target shape with its -1 resolved when the input's size is known; the sizes must hold
    /// exactly the input's values, as Keras raises otherwise.
    open override func outputShape(for inputShapes: [[Int?]]) throws -> [Int?] {
        let shape = try singleInput(inputShapes, rank: 1...8)
        let fixed = targetShape.filter { $0 != -1 }.reduce(1, *)
        let inferred = targetShape.contains(-1)
        guard !shape.dropFirst().contains(nil) else { return [shape[0]] + targetShape.map { $0 == -1 ? nil : $0 } }
        let count = shape.dropFirst().reduce(1) { $0 * $1! }
        guard inferred ? count % fixed == 0 : count == fixed else {
            let holds = inferred ? "a multiple of \(fixed)" : "\(fixed)"
            throw invalidInput(expected: "a target shape holding the input's \(count) values (target shape \(targetShape) holds \(holds))",
                               found: inputShapes)
        }
        return [shape[0]] + targetShape.map { $0 == -1 ? count / fixed : $0 }
    }

    open override func outputDType(for inputDTypes: [DType]) -> DType { inputDTypes[0] }

    open override func call(_ input: Tensor, training: Bool) -> Tensor {
        input.reshaped([input.shape[0]] + targetShape)
    }
}
