/// One batch: a tensor per model input, a target per output, and optional per-sample weights.
public struct Batch {
    public var x: [Tensor]
    public var y: [Tensor]
    public var sampleWeight: Tensor?

    public init(x: [Tensor], y: [Tensor] = [], sampleWeight: Tensor? = nil) {
        self.x = x
        self.y = y
        self.sampleWeight = sampleWeight
    }

    public var size: Int { x.first?.shape.first ?? 0 }
}
