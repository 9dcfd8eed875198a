/// Keras's `Concatenate`: joins its inputs along `axis`; the other dimensions must agree.
@Component(.layer)
open class Concatenate: Layer {
    open override class var kerasClassName: String { "Concatenate" }

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

    open override func call(_ inputs: [Tensor], training: Bool) -> Tensor {
        Tensor.concatenate(inputs, axis: axis)
    }
}
