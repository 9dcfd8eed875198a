/// Keras's `Dot`: the dot product of two samples along one axis of each (Keras's `batch_dot`);
/// with `normalize`, both are L2-normalised along that axis first, giving cosine similarities.
/// The output keeps the first input's other axes, then the second's; two vectors give (batch, 1).
@Component(.layer)
open class Dot: Layer {
    open override class var kerasClassName: String { "Dot" }
    /// Keras's `supports_masking`: the input's mask passes through.
    open override var supportsMasking: Bool { true }

    /// Keras's `Dot.compute_mask` returns no mask.
    open override func outputMasks(for inputs: [Tensor], masks: [Tensor?], arguments: CallArguments,
                                   outputCount: Int) -> [Tensor?] {
        [nil]
    }

    @Hyper("axes", HyperCheck("axes other than the batch axis (0)") { axes in !axes.values.contains(0) })
    public var axes: DotAxes
    @Hyper("normalize") public var normalize = false

    open override var inputCount: InputCount { .exactly(2) }

    /// The two contracted axes, made non-negative for inputs of these ranks.
    private func resolvedAxes(ranks: [Int], shapes: [[Int?]]) throws -> [Int] {
        try zip(axes.values, ranks).map { axis, rank in
            let resolved = try checkedAxis(axis, rank: rank, shapes: shapes, field: "axes")
            guard resolved != 0 else { throw invalidInput(expected: "axes other than the batch axis", found: shapes) }
            return resolved
        }
    }

    open override func outputShape(for inputShapes: [[Int?]]) throws -> [Int?] {
        guard inputShapes.count == 2 else { throw invalidInput(expected: "2 inputs", found: inputShapes) }
        guard inputShapes.allSatisfy({ $0.count >= 2 }) else {
            throw invalidInput(expected: "inputs of rank 2 or more (batch first)", found: inputShapes)
        }
        let (a, b) = (inputShapes[0], inputShapes[1])
        let contracted = try resolvedAxes(ranks: [a.count, b.count], shapes: inputShapes)
        if let x = a[contracted[0]], let y = b[contracted[1]], x != y {
            throw invalidInput(expected: "equal sizes along axes \(contracted[0]) and \(contracted[1])", found: inputShapes)
        }
        if let x = a[0], let y = b[0], x != y {
            throw invalidInput(expected: "inputs of one batch size", found: inputShapes)
        }
        var first = a, second = b
        first.remove(at: contracted[0])
        second.remove(at: contracted[1])
        let output = first + second.dropFirst()
        return output.count == 1 ? output + [1] : output
    }

    open override func call(_ inputs: [Tensor], training: Bool) -> Tensor {
        let contracted = inputs.map(\.rank).enumerated().map { i, rank in
            let axis = axes.values[i]
            return axis < 0 ? axis + rank : axis
        }
        var (x, y) = (inputs[0], inputs[1])
        if normalize {
            x = LossMath.l2Normalized(x, axis: contracted[0])
            y = LossMath.l2Normalized(y, axis: contracted[1])
        }
        // x as (batch, rows, k) and y as (batch, k, columns): one batched matrix product.
        let batch = x.shape[0], depth = x.shape[contracted[0]]
        let xOther = x.shape.indices.filter { $0 != 0 && $0 != contracted[0] }
        let yOther = y.shape.indices.filter { $0 != 0 && $0 != contracted[1] }
        let rows = xOther.reduce(1) { $0 * x.shape[$1] }, columns = yOther.reduce(1) { $0 * y.shape[$1] }
        let left = x.transposed([0] + xOther + [contracted[0]]).reshaped([batch, rows, depth])
        let right = y.transposed([0, contracted[1]] + yOther).reshaped([batch, depth, columns])
        let product = left.matmul(right)
        let outputShape = [batch] + xOther.map { x.shape[$0] } + yOther.map { y.shape[$0] }
        return product.reshaped(outputShape.count == 1 ? [batch, 1] : outputShape)
    }
}

/// Dot's `axes`: one axis for both inputs, or one for each. Written back as given.
public enum DotAxes: ConfigRepresentable, Equatable, ExpressibleByIntegerLiteral, ExpressibleByArrayLiteral, Sendable {
    case both(Int)
    case each(Int, Int)

    public init(integerLiteral value: Int) { self = .both(value) }

    public init(arrayLiteral elements: Int...) {
        opCheck(elements.count == 2, "DotAxes: 2 axes expected, got \(elements.count)")
        self = .each(elements[0], elements[1])
    }

    public init(configValue: JSONValue) throws {
        if let axis = configValue.intValue { self = .both(axis); return }
        guard let items = configValue.arrayValue, items.count == 2, let a = items[0].intValue, let b = items[1].intValue else {
            throw ConfigMismatch("an integer or a list of 2 integers")
        }
        self = .each(a, b)
    }

    public var configValue: JSONValue {
        switch self {
        case .both(let axis): return .int(axis)
        case .each(let a, let b): return .from([a, b])
        }
    }

    /// The axis of the first input, then of the second (possibly negative).
    public var values: [Int] {
        switch self {
        case .both(let axis): return [axis, axis]
        case .each(let a, let b): return [a, b]
        }
    }
}
