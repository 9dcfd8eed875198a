/// The einsum equations MultiHeadAttention is made of, spelled as Keras's
/// `_build_proj_equation` and `_build_attention_equation` spell them (letters a, b, c, ... in
/// order), so the projections' kernels and biases have Keras's shapes.
enum AttentionEquations {
    /// The equation of a projection: `free` axes kept (batch first), `bound` axes contracted
    /// with the kernel, `output` new axes from the kernel (which the bias spans).
    /// (2, 1, 2) gives "abc,cde->abde" with bias axes "de".
    static func projection(free: Int, bound: Int, output: Int) -> (equation: String, biasAxes: String, outputRank: Int) {
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        let freeLetters = String(letters[0..<free])
        let boundLetters = String(letters[free..<(free + bound)])
        let outputLetters = String(letters[(free + bound)..<(free + bound + output)])
        return ("\(freeLetters)\(boundLetters),\(boundLetters)\(outputLetters)->\(freeLetters)\(outputLetters)",
                outputLetters, free + output)
    }

    /// The query–key product and the combination with the values for projected tensors of
    /// `rank` (batch, ..., heads, channels) attending over `attentionAxes`: the key's attention
    /// axes take new letters; every other axis but the channels (the heads included) is a batch
    /// axis of both products. Scores are (batch axes, query attention axes, key attention axes).
    static func attention(rank: Int, attentionAxes: [Int]) -> (dotProduct: String, combine: String, scoresRank: Int) {
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        let target = Array(letters[0..<rank])
        let batchAxes = (0..<rank).filter { !attentionAxes.contains($0) && $0 != rank - 1 }
        var next = rank
        let source: [Character] = (0..<rank).map { axis in
            if batchAxes.contains(axis) || axis == rank - 1 { return target[axis] }
            defer { next += 1 }
            return letters[next]
        }
        let product = batchAxes.map { target[$0] } + attentionAxes.map { target[$0] } + attentionAxes.map { source[$0] }
        let (t, s, p) = (String(target), String(source), String(product))
        return ("\(s),\(t)->\(p)", "\(p),\(s)->\(t)", product.count)
    }

    /// The parsed form of an equation built above (always valid).
    static func parsed(_ text: String) -> EinsumEquation {
        guard case .success(let equation) = EinsumEquation.parse(text) else {
            OpCheck.fail("attention: the equation '\(text)' built for the layer does not parse")
        }
        return equation
    }
}
