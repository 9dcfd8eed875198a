import Foundation

/// Keras's automatic names: the snake_case class name, made unique per process by a counter
/// (`dense`, `dense_1`, `dense_2`, ...).
public enum Naming {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var counters: [String: Int] = [:]

    /// Keras's `to_snake_case`: "Conv2DTranspose" → "conv2d_transpose", "RMSprop" → "rm_sprop".
    public static func snakeCase(_ name: String) -> String {
        var s = name.replacingOccurrences(of: "\\W+", with: "", options: .regularExpression)
        s = s.replacingOccurrences(of: "(.)([A-Z][a-z]+)", with: "$1_$2", options: .regularExpression)
        s = s.replacingOccurrences(of: "([a-z])([A-Z])", with: "$1_$2", options: .regularExpression)
        return s.lowercased()
    }

    /// The next unused name for `base`: the base itself first, then base_1, base_2, ...
    public static func unique(_ base: String) -> String {
        lock.lock()
        defer { lock.unlock() }
        let n = counters[base, default: 0]
        counters[base] = n + 1
        return n == 0 ? base : "\(base)_\(n)"
    }

    /// Forgets the counters (Keras's `clear_session`), so names start again from the base.
    public static func reset() {
        lock.lock()
        counters = [:]
        lock.unlock()
    }
}

/// The engine-wide random generator used where Keras would draw from its global seed
/// (initializers without a seed, dropout). `Keel.setRandomSeed` makes a run reproducible.
public enum KeelRandom {
    nonisolated(unsafe) public static var generator = RandomGenerator(seed: 1337)

    public static func setSeed(_ seed: UInt64) { generator = RandomGenerator(seed: seed) }
}
