/// Keras's `Attention` (Luong-style): scores are query·keyᵀ (`score_mode` "dot"), times a
/// learned `scale` with `use_scale`; or Σ tanh(query + key) over the features times a learned
/// `concat_score_weight` ("concat"), the sum taken after `scale` multiplies query + key. Masks,
/// dropout and outputs as `ScoredAttention` says.
@Component(.layer)
open class Attention: ScoredAttention {
    open override class var kerasClassName: String { "Attention" }

    @Hyper("use_scale") public var useScale = false
    @Hyper("score_mode", HyperCheck("one of dot, concat") { ["dot", "concat"].contains($0) }) public var scoreMode = "dot"
    @Hyper("dropout", .inRange(0...1)) public var dropout = 0.0
    @Hyper("seed") public var seed: Int? = nil
    /// A scalar; created by `build` with `use_scale`.
    public private(set) var scale: Variable?
    /// A scalar; created by `build` for the "concat" score mode.
    public private(set) var concatScoreWeight: Variable?

    open override var dropoutRate: Double { dropout }
    open override var dropoutSeed: Int? { seed }

    open override func build(inputShapes: [[Int]]) {
        if useScale { scale = addWeight(name: "scale", shape: [], initializer: Ones()) }
        if scoreMode == "concat" { concatScoreWeight = addWeight(name: "concat_score_weight", shape: [], initializer: Ones()) }
    }

    open override func scores(query: Tensor, key: Tensor) -> Tensor {
        guard let concatScoreWeight else {
            let products = query.matmul(key, transposeB: true)
            return scale.map { products * $0.value } ?? products
        }
        // (batch, Tq, 1, features) + (batch, 1, Tv, features).
        let sums = Self.inserting(query, axisFromEnd: 2) + Self.inserting(key, axisFromEnd: 3)
        let scaled = scale.map { $0.value * sums } ?? sums
        return concatScoreWeight.value * scaled.tanh().sum(axes: [sums.rank - 1])
    }
}
