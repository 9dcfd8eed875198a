/// Keras's `EinsumDense`: `activation(einsum(equation, x, kernel) + bias)`, a Dense layer whose
/// kernel may have any axes, e.g. `"abc,cde->abde"` maps each (a, b) position's c features to a
/// (d, e) grid. `output_shape` gives the output's sizes without the batch axis (null: the
/// input's size); `bias_axes` names the output letters the bias varies along.
@Component(.layer)
open class EinsumDense: Layer {
    open override class var kerasClassName: String { "EinsumDense" }

    @Hyper("output_shape", HyperCheck("sizes from 1 to \(1 << 24) or null") { shape in
        shape.sizes.allSatisfy { $0.map { $0 >= 1 && $0 <= 1 << 24 } ?? true }
    })
    public var partialOutputShape: PartialShape
    @Hyper("equation") public var equation: String
    @Hyper("activation") public var activation: Activation = .linear
    @Hyper("bias_axes") public var biasAxes: String? = nil
    @Hyper("kernel_initializer") public var kernelInitializer: Initializer = GlorotUniform()
    @Hyper("bias_initializer") public var biasInitializer: Initializer = Zeros()
    @Hyper("kernel_regularizer") public var kernelRegularizer: Regularizer? = nil
    @Hyper("bias_regularizer") public var biasRegularizer: Regularizer? = nil
    public let activityRegularizerField = ActivityRegularizerField()
    @Hyper("kernel_constraint") public var kernelConstraint: Constraint? = nil
    @Hyper("bias_constraint") public var biasConstraint: Constraint? = nil
    @Hyper("quantization_config", .mustBeNull("Keel does not quantize")) public var quantizationConfig: JSONValue? = nil
    public private(set) var kernel: Variable!
    public private(set) var bias: Variable?

    /// The equation is checked when the layer is configured, as Keras's constructor would fail
    /// on its first build.
    open override func check() throws {
        try super.check()
        if case .failure(let problem) = EinsumEquation.parse(equation) {
            throw KeelError("\(nameForMessages): field 'equation'", expected: problem.description, found: "'\(equation)'")
        }
    }

    private var parsed: EinsumEquation {
        guard case .success(let parsed) = EinsumEquation.parse(equation) else {
            OpCheck.fail("\(nameForMessages): the equation '\(equation)' was not checked before use")
        }
        return parsed
    }

    private func shapes(for inputShape: [Int?], shapes inputShapes: [[Int?]]) throws -> EinsumEquation.Shapes {
        switch parsed.shapes(input: inputShape, partialOutput: partialOutputShape.sizes, biasAxes: biasAxes) {
        case .success(let shapes): return shapes
        case .failure(let problem): throw invalidInput(expected: "\(problem) (equation '\(equation)')", found: inputShapes)
        }
    }

    open override func outputShape(for inputShapes: [[Int?]]) throws -> [Int?] {
        let shape = try singleInput(inputShapes, rank: 2...8)
        let resolved = try shapes(for: shape, shapes: inputShapes)
        if let kernel, kernel.shape != resolved.kernel {
            throw invalidInput(expected: "an input that fits the kernel \(kernel.shape) the layer was built with", found: inputShapes)
        }
        try checkWeightFits(resolved.kernel, weight: "kernel", shapes: inputShapes)
        try checkConstraintFits(kernelConstraint, weightShape: resolved.kernel, weight: "kernel", shapes: inputShapes)
        if let bias = resolved.bias {
            try checkConstraintFits(biasConstraint, weightShape: bias, weight: "bias", shapes: inputShapes)
        }
        return resolved.output
    }

    open override func build(inputShape: [Int]) {
        guard let resolved = try? shapes(for: inputShape, shapes: [inputShape]) else {
            OpCheck.fail("\(nameForMessages): input shape \(inputShape) does not fit the equation '\(equation)'")
        }
        kernel = addWeight(name: "kernel", shape: resolved.kernel, initializer: kernelInitializerWithFans(resolved),
                           regularizer: kernelRegularizer, constraint: kernelConstraint)
        if let biasShape = resolved.bias {
            bias = addWeight(name: "bias", shape: biasShape, initializer: biasInitializer, regularizer: biasRegularizer,
                             constraint: biasConstraint)
        }
    }

    /// Keras counts a variance-scaling kernel's fans over the kernel axes that meet the input and
    /// those that make the output, not by the kernel's layout: the values are drawn as the
    /// (fan in, fan out) matrix they stand for, then laid out as the kernel.
    private func kernelInitializerWithFans(_ shapes: EinsumEquation.Shapes) -> Initializer {
        guard kernelInitializer is VarianceScaling || kernelInitializer is VarianceScalingPreset else { return kernelInitializer }
        let fanIn = shapes.kernelInputAxes.reduce(1) { $0 * shapes.kernel[$1] }
        let fanOut = shapes.kernelOutputAxes.reduce(1) { $0 * shapes.kernel[$1] }
        return FanShapedInitializer(base: kernelInitializer, matrix: [fanIn, fanOut])
    }

    open override func call(_ input: Tensor, training: Bool) -> Tensor {
        var output = parsed.apply(input, kernel.value)
        if let bias { output = output + bias.value }
        return activation(output)
    }
}

/// An initializer drawing its values as a matrix of another shape (the fans Keras counts), then
/// laid out as the weight.
private final class FanShapedInitializer: Initializer {
    let base: Initializer
    let matrix: [Int]

    init(base: Initializer, matrix: [Int]) {
        self.base = base
        self.matrix = matrix
        super.init()
    }

    required init(config: JSONObject) throws {
        OpCheck.fail("FanShapedInitializer is made by EinsumDense, never from a config")
    }

    override func callAsFunction(_ shape: [Int]) -> Tensor {
        base(matrix).reshaped(shape)
    }
}

/// A shape without its batch axis, some sizes unknown (null): EinsumDense's `output_shape`.
/// Keras takes one integer for a one-axis shape and writes the list.
public struct PartialShape: ConfigRepresentable, Equatable, ExpressibleByArrayLiteral, ExpressibleByIntegerLiteral {
    public var sizes: [Int?]

    public init(_ sizes: [Int?]) { self.sizes = sizes }
    public init(arrayLiteral elements: Int?...) { sizes = elements }
    public init(integerLiteral value: Int) { sizes = [value] }

    public init(configValue: JSONValue) throws {
        if let size = configValue.intValue { sizes = [size]; return }
        guard let items = configValue.arrayValue else { throw ConfigMismatch("an integer or a list of integers and nulls") }
        sizes = try items.map { item in
            if item.isNull { return nil }
            guard let size = item.intValue else { throw ConfigMismatch("an integer or a list of integers and nulls") }
            return size
        }
    }

    public var configValue: JSONValue { .array(sizes.map { $0.map { .int($0) } ?? .null }) }
}
