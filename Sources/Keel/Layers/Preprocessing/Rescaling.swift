/// Keras's `Rescaling`: `x · scale + offset`, in float32 whatever the input's dtype. `scale` and
/// `offset` are numbers or per-channel lists (last axis); Keras writes them as they were given.
@Component(.layer)
open class Rescaling: Layer {
    open override class var kerasClassName: String { "Rescaling" }
    /// Keras's `supports_masking`: the input's mask passes through.
    open override var supportsMasking: Bool { true }

    @Hyper("scale", Rescaling.numberOrList) public var scale: JSONValue
    @Hyper("offset", Rescaling.numberOrList) public var offset: JSONValue = .double(0)

    static let numberOrList = HyperCheck<JSONValue>("a number or a list of numbers") { value in
        value.doubleValue != nil || (value.arrayValue.map { !$0.isEmpty && $0.allSatisfy { $0.doubleValue != nil } } ?? false)
    }

    /// The value as a scalar or a 1-D tensor.
    private static func tensor(_ value: JSONValue) -> Tensor {
        if let number = value.doubleValue { return Tensor(Float(number)) }
        let numbers = (value.arrayValue ?? []).map { Float($0.doubleValue ?? 0) }
        return Tensor(shape: [numbers.count], scalars: numbers)
    }

    open override func outputShape(for inputShapes: [[Int?]]) throws -> [Int?] {
        let shape = try singleInput(inputShapes, rank: 1...8)
        for value in [scale, offset] {
            guard let count = value.arrayValue?.count, count != 1 else { continue }
            if let channels = shape.last ?? nil, channels != count {
                throw invalidInput(expected: "\(count) channels on the last axis, one per scale/offset value", found: inputShapes)
            }
        }
        return shape
    }

    open override func call(_ input: Tensor, training: Bool) -> Tensor {
        input.cast(to: .float32) * Self.tensor(scale) + Self.tensor(offset)
    }
}
