/// Initializers that draw random values (Keras's `RandomInitializer`). Each declares its `seed`
/// first (`@Hyper("seed") public var seed: Int? = nil`), so its config starts with it as Keras's
/// does. With a seed, every call starts a fresh generator from it, so the same shape gets the same
/// values each time, as Keras's integer seeds do; without one, values come from the engine-wide
/// `KeelRandom.generator`, so `KeelRandom.setSeed` makes a whole run reproducible. Keras also
/// serializes `SeedGenerator` objects as seeds; Keel has none, so those are the wrong kind of value.
public protocol RandomInitializer: Initializer {
    var seed: Int? { get }
}

extension RandomInitializer {
    /// The generator one call draws from.
    public var generator: RandomGenerator {
        guard let seed else { return KeelRandom.generator }
        return RandomGenerator(seed: UInt64(bitPattern: Int64(seed)))
    }
}
