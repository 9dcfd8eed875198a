/// The base of initializers that draw random values (Keras's `RandomInitializer`). With a seed,
/// every call starts a fresh generator from it, so the same shape gets the same values each time,
/// as Keras's integer seeds do; without one, values come from the engine-wide
/// `KeelRandom.generator`, so `KeelRandom.setSeed` makes a whole run reproducible.
open class RandomInitializer: Initializer {
    public let seed: Int?

    public init(seed: Int? = nil) {
        self.seed = seed
        super.init()
    }

    /// The generator one call draws from.
    public var generator: RandomGenerator {
        guard let seed else { return KeelRandom.generator }
        return RandomGenerator(seed: UInt64(bitPattern: Int64(seed)))
    }

    open override var config: JSONObject { ["seed": seed.map { .int($0) } ?? .null] }

    /// The `seed` field: an integer or null. Keras also serializes `SeedGenerator` objects there;
    /// Keel has no such object, so those are reported as the wrong kind of value.
    static func seed(from reader: ConfigReader) throws -> Int? {
        try reader.optionalInt("seed")
    }
}

extension Initializer {
    /// `{"module": "keras.initializers", "class_name", "config", "registered_name"}`, named by the
    /// object's own class (its dynamic type), as layers write their initializers into configs.
    public func serialized() -> JSONValue {
        ["module": "keras.initializers", "class_name": .string(type(of: self).kerasClassName),
         "config": .object(config), "registered_name": .null]
    }
}
