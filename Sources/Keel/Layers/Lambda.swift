/// Keras's `Lambda`: a layer computing a Swift function of its input (or inputs). A model that
/// holds one saves and loads when the function is registered by name:
///
///     let double = Lambda("double") { $0 * 2 }     // registers "double" and uses it
///     let y = try double(x)
///     try model.save(to: "model.keras")            // the config names "double"
///
/// `Lambda { $0 * 2 }` (an anonymous closure) computes the same but saving its model is refused.
/// The output shape comes from running the function on float32 zeros, or from `output_shape`
/// (sizes without the batch axis) when given: a function that only takes integer ids should give
/// `outputShape`. The function should hold no weights of its own (as Keras asks of Lambda
/// functions) and must be differentiable through Keel's ops.
@Component(.layer)
open class Lambda: Layer, ArchitectureSavable {
    open override class var kerasClassName: String { "Lambda" }

    @Hyper("function") public var function: LambdaFunction
    /// Written only when set, as Keras does.
    @Hyper("output_shape", HyperCheck("sizes from 1 to \(1 << 24) or null") { shape in
        shape?.sizes.allSatisfy { $0.map { $0 >= 1 && $0 <= 1 << 24 } ?? true } ?? true
    })
    public var declaredOutputShape: PartialShape? = nil
    @Hyper("mask", .mustBeNull("Keel's layers carry no masks")) public var mask: JSONValue? = nil
    @Hyper("arguments", HyperCheck("an empty object (Keel's functions take no keyword arguments)") { $0 == .object([:]) })
    public var arguments: JSONValue = .object([:])

    /// Registers `body` under `functionName` (replacing an earlier definition) and computes it.
    public convenience init(_ functionName: String, outputShape: [Int?]? = nil, name: String? = nil,
                            _ body: @escaping (Tensor) -> Tensor) {
        self.init(function: LambdaFunctions.register(functionName, body), declaredOutputShape: outputShape.map(PartialShape.init),
                  name: name)
    }

    /// An anonymous closure: usable in memory, refused when its model is saved.
    public convenience init(outputShape: [Int?]? = nil, name: String? = nil, _ body: @escaping (Tensor) -> Tensor) {
        self.init(function: LambdaFunction(body), declaredOutputShape: outputShape.map(PartialShape.init), name: name)
    }

    /// A function registered earlier (`LambdaFunctions.register`); an unknown name is a KeelError.
    public convenience init(registered functionName: String, outputShape: [Int?]? = nil, name: String? = nil) throws {
        guard let function = LambdaFunctions.function(named: functionName) else {
            throw KeelError("Lambda layer function '\(functionName)'", expected: "a function registered with LambdaFunctions.register",
                            found: "none by that name (registered: \(LambdaFunctions.names.joined(separator: ", ")))")
        }
        self.init(function: function, declaredOutputShape: outputShape.map(PartialShape.init), name: name)
    }

    open override var inputCount: InputCount { function.inputCount }

    /// The shape `output_shape` gives, or the one the function makes from zeros: run twice with
    /// the unknown sizes set to 2 and to 3, the sizes that change with them are unknown.
    open override func outputShape(for inputShapes: [[Int?]]) throws -> [Int?] {
        probedShapes = inputShapes
        if let declaredOutputShape { return [inputShapes[0].first ?? nil] + declaredOutputShape.sizes }
        let probes = [2, 3].map { unknown in
            function(inputShapes.map { Tensor.zeros($0.map { $0 ?? unknown }) }).shape
        }
        guard probes[0].count == probes[1].count else {
            throw invalidInput(expected: "a function whose output rank does not depend on the input's unknown sizes (or an output_shape)",
                               found: inputShapes)
        }
        return zip(probes[0], probes[1]).map { $0 == $1 ? $0 : nil }
    }

    /// The input shapes `outputShape(for:)` last saw, for the dtype probe.
    private var probedShapes: [[Int?]]?

    /// The dtype the function gives for zeros of the input dtypes (integer ids may stay integers).
    open override func outputDType(for inputDTypes: [DType]) -> DType {
        guard let shapes = probedShapes, shapes.count == inputDTypes.count else { return .float32 }
        return function(zip(shapes, inputDTypes).map { shape, dtype in
            Tensor.zeros(shape.map { $0 ?? 2 }).cast(to: dtype)
        }).dtype
    }

    open override func call(_ inputs: [Tensor], training: Bool) -> Tensor {
        function(inputs)
    }

    /// Keras writes `output_shape` and `mask` only when they are set.
    open override var config: JSONObject {
        var object = super.config
        if declaredOutputShape == nil { object["output_shape"] = nil }
        if mask == nil { object["mask"] = nil }
        return object
    }

    /// An anonymous closure has no name a loaded model could find it by.
    public func checkSavable() throws {
        guard function.name == nil else { return }
        throw KeelError(nameForMessages, expected: "a function registered by name, which a saved model can be rebuilt with (Lambda(\"name\") { ... } or LambdaFunctions.register)",
                        found: "an anonymous closure")
    }
}
