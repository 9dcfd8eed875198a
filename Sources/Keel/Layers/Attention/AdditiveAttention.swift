/// Keras's `AdditiveAttention` (Bahdanau-style): scores are Σ scale · tanh(query + key) over the
/// features, with a learned `scale` of one value per feature (`use_scale`, Glorot-uniform) or 1.
/// Masks, dropout and outputs as `ScoredAttention` says.
@Component(.layer)
open class AdditiveAttention: ScoredAttention {
    open override class var kerasClassName: String { "AdditiveAttention" }

    @Hyper("use_scale") public var useScale = true
    @Hyper("dropout", .inRange(0...1)) public var dropout = 0.0
    @Hyper("seed") public var seed: Int? = nil
    /// Keras's constructor hands it to Attention's, which checks it, and its config drops it;
    /// the scores here never read it.
    @Hyper("score_mode", HyperCheck("one of dot, concat") { ["dot", "concat"].contains($0) }, written: false)
    public var scoreMode = "dot"
    /// (query features,); created by `build` with `use_scale`.
    public private(set) var scale: Variable?

    open override var dropoutRate: Double { dropout }
    open override var dropoutSeed: Int? { seed }

    open override func checkQueryFeatures(_ features: Int, shapes: [[Int?]]) throws {
        try checkBuiltDimension(features, builtFor: scale?.shape[0], what: "a query feature size of", shapes: shapes)
        try checkWeightFits([features], weight: "scale", shapes: shapes)
    }

    open override func build(inputShapes: [[Int]]) {
        let query = inputShapes[0]
        if useScale { scale = addWeight(name: "scale", shape: [query[query.count - 1]], initializer: GlorotUniform()) }
    }

    open override func scores(query: Tensor, key: Tensor) -> Tensor {
        // (batch, Tq, 1, features) + (batch, 1, Tv, features).
        let activated = (Self.inserting(query, axisFromEnd: 2) + Self.inserting(key, axisFromEnd: 3)).tanh()
        let weighted = scale.map { $0.value * activated } ?? activated
        return weighted.sum(axes: [activated.rank - 1])
    }
}
