/// A weighted running mean (Keras's `Mean` tracker behind the `loss` log: each batch's loss
/// weighted by its batch size). Accumulated in Float32 like Keras's variables, so logged values
/// are the same float32 numbers widened to Double (e.g. 0.47999998927116394).
struct RunningMean {
    private(set) var total: Float = 0
    private(set) var count: Float = 0

    mutating func add(_ value: Float, weight: Float) {
        total += value * weight
        count += weight
    }

    mutating func reset() { total = 0; count = 0 }

    var result: Double { count == 0 ? 0 : Double(total / count) }
}
