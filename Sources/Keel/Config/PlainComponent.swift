/// The base of the families whose components take no base arguments (initializers,
/// regularizers, constraints, learning-rate schedules, callbacks): a component declares its
/// fields with `@Hyper`, and this class builds it from a Keras config, checks it and writes its
/// config back. `@Component(.plain)` gives each component a Swift initialiser that takes its fields.
open class PlainComponent: ConfigConstructible {
    open class var kerasClassName: String { "\(self)" }
    /// Where Keras's serialization says the class lives (`keras.initializers`, ...).
    open class var kerasModule: String { "keras" }

    /// Every field keeps its declared default.
    public init() {}

    /// Keras's `cls(**config)`: each key is a declared field; any other key is an error naming it.
    public required convenience init(config: JSONObject) throws {
        self.init()
        try Hyperparameters.read(config, into: self, owner: "\(Self.kerasClassName) config", otherKeys: [])
        try check()
        didConfigure()
    }

    /// Each declared field's rules. A component whose fields depend on one another overrides it,
    /// calling `super`. Components made in Swift are checked where they are used (a layer's
    /// check, the optimizer's, `fit`).
    open func check() throws {
        try Hyperparameters.check(self, owner: Self.kerasClassName)
    }

    /// Runs once the fields are set (from a config or a Swift initialiser).
    open func didConfigure() {}

    /// The declared fields Keras writes, in declaration order (base class first).
    public var config: JSONObject {
        var config = JSONObject()
        Hyperparameters.write(self, into: &config)
        return config
    }

    /// `{"module", "class_name", "config", "registered_name"}`, named by the object's own class,
    /// as Keras nests a component in another's config.
    public func serialized() -> JSONValue {
        ["module": .string(type(of: self).kerasModule), "class_name": .string(type(of: self).kerasClassName),
         "config": .object(config), "registered_name": .null]
    }

    /// What `check()` reports, as a sentence (nil: the component keeps its rules): a component
    /// nested in another's field is checked with it.
    public var deferredProblem: String? {
        do {
            try check()
            return nil
        } catch {
            return "\(error)"
        }
    }
}
