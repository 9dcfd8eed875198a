/// An activation function by its Keras name ("relu", "softmax", ...). Layers store the name in
/// their config, as Keras does.
public struct Activation {
    public let name: String
    public let apply: (Tensor) -> Tensor
    /// Why this activation cannot be used: set when a Swift initialiser named one nobody
    /// registered. The layer reports it when it is called, as Keras raises at that line.
    public let problem: String?
    /// What the function needs of its input's shape and the shape it gives back; nil for the
    /// elementwise functions, whose output keeps the input's shape. GLU halves an axis.
    public let shapeRule: ShapeRule?
    /// The arguments beyond the input the function was made with (`threshold`'s `threshold`
    /// and `default_value`), written into configs so Keel reads them back; nil for the
    /// functions Keras calls with the input alone, which serialize as their bare name.
    public let arguments: JSONObject?

    public struct ShapeRule {
        /// What an input must be, for the error that refuses one ("an even last axis").
        public let requirement: String
        /// The output shape for an input shape (nil dimensions unknown), or nil to refuse it.
        public let outputShape: ([Int?]) -> [Int?]?

        public init(requirement: String, outputShape: @escaping ([Int?]) -> [Int?]?) {
            self.requirement = requirement
            self.outputShape = outputShape
        }
    }

    public init(name: String, shapeRule: ShapeRule? = nil, arguments: JSONObject? = nil,
                apply: @escaping (Tensor) -> Tensor) {
        self.name = name
        self.apply = apply
        self.problem = nil
        self.shapeRule = shapeRule
        self.arguments = arguments
    }

    private init(unknown name: String, problem: String) {
        self.name = name
        self.problem = problem
        self.shapeRule = nil
        self.arguments = nil
        self.apply = { _ in OpCheck.fail("activation '\(name)': \(problem)") }
    }

    /// The output shape for an input of `shape`, or nil when the function cannot take it.
    public func outputShape(for shape: [Int?]) -> [Int?]? { shapeRule.map { $0.outputShape(shape) } ?? shape }

    /// The registered activation of that name, or one that reports why there is none when the
    /// layer holding it is checked.
    public static func named(_ name: String) -> Activation {
        do {
            return try Registries.activations.make(name)
        } catch {
            return Activation(unknown: name, problem: "\(error)")
        }
    }

    public func callAsFunction(_ x: Tensor) -> Tensor { apply(x) }

    public static let linear = Activation(name: "linear") { $0 }

    /// Resolves an activation from a config value: a name, null (linear), or a serialized object.
    public static func from(_ value: JSONValue?) throws -> Activation {
        guard let value, !value.isNull else { return .linear }
        if case .object(let object) = value {
            if let name = object["config"]?.objectValue?["name"]?.stringValue {
                return try Registries.activations.make(name)
            }
            // Functions made with arguments (`threshold`) carry them as the object's config.
            if let name = object["class_name"]?.stringValue {
                return try Registries.activations.make(name, config: object["config"]?.objectValue ?? JSONObject())
            }
        }
        return try Registries.activations.make(from: value)
    }
}

/// An activation named in Swift: `Dense(units: 8, activation: "relu")`. An unknown name is
/// reported when the layer holding it is checked (called on its inputs), as Keras raises there.
extension Activation: ExpressibleByStringLiteral {
    public init(stringLiteral name: String) { self = .named(name) }
}
