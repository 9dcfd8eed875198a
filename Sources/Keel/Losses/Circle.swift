/// Keras `Circle` (Sun et al. 2020): for each sample of L2-normalised embeddings (batch, dim)
/// with integer labels (batch,), softplus(logsumexp over positives of −γ·w⁺·(m − d) + logsumexp
/// over negatives of γ·w⁻·(1 − m − d)), where d = max(1 − cosine, 0) to the other samples,
/// w⁺ = max(m + d, 0) and w⁻ = max(1 + m − d, 0). Positives share the label (the sample itself
/// only without `remove_diagonal`), negatives do not. As in Keras, samples whose loss is not > 0
/// are masked out of the reduction.
@Component(.loss)
public final class Circle: Loss {
    public override class var kerasClassName: String { "Circle" }
    public override class var defaultName: String { "circle" }

    @Hyper("gamma") public var gamma = 80.0
    @Hyper("margin") public var margin = 0.4
    @Hyper("remove_diagonal") public var removeDiagonal = true

    public override func checkInputs(yTrue: Tensor, yPred: Tensor) throws {
        let labels = Self.labels(yTrue)
        guard yPred.rank == 2, labels.shape == [yPred.shape[0]] else {
            throw KeelError("Circle '\(name)': y_true and y_pred",
                            expected: "integer labels (batch,) and embeddings (batch, dim)",
                            found: "y_true \(yTrue.shape), y_pred \(yPred.shape)")
        }
    }

    public override func values(yTrue: Tensor, yPred: Tensor) -> Tensor {
        stopOnBadInputs(yTrue: yTrue, yPred: yPred)
        let (positive, negative) = masks(yTrue)
        // The constants are formed in double precision and rounded once, as Python does.
        let m = Float(margin), g = Float(gamma), optimalNegative = Float(1 + margin), deltaNegative = Float(1 - margin)
        let distances = Self.maxZero(1 - Self.gramMatrix(LossMath.floats(yPred)))
        let positiveWeights = Self.maxZero((m + distances) * positive)
        let negativeWeights = Self.maxZero((optimalNegative - distances) * negative)
        let positiveTerms = -g * positiveWeights * (m - distances)
        let negativeTerms = g * negativeWeights * (deltaNegative - distances)
        // Keras fills the other entries with −inf; a finite stand-in gives the same values and
        // keeps the gradient of a row without positives (or negatives) at 0 instead of NaN.
        let excluded = Tensor(-1e30)
        let positiveLoss = `where`(positive, positiveTerms, excluded).logSumExp(axes: [1])
        let negativeLoss = `where`(negative, negativeTerms, excluded).logSumExp(axes: [1])
        return (positiveLoss + negativeLoss).softplus()
    }

    public override func mask(yTrue: Tensor, yPred: Tensor) -> Tensor? {
        stopGradient(values(yTrue: stopGradient(yTrue), yPred: stopGradient(yPred))).greater(Tensor(0))
    }

    /// x·xᵀ for embeddings x (n, d), accumulated along d with fused multiply-adds in order, as
    /// XLA's dot does: with γ = 80 the loss's gradient is sensitive enough to the last bit of the
    /// cosines for another order to move it by 2e-5. Its gradient, G·x + Gᵀ·x, is summed the same way.
    static func gramMatrix(_ x: Tensor) -> Tensor {
        let n = x.shape[0], d = x.shape[1]
        let values = x.scalars
        var gram = [Float](repeating: 0, count: n &* n)
        values.withUnsafeBufferPointer { v in
            gram.withUnsafeMutableBufferPointer { out in
                for i in 0..<n {
                    for j in 0..<n {
                        var sum: Float = 0
                        for k in 0..<d { sum = sum.addingProduct(v[i &* d &+ k], v[j &* d &+ k]) }
                        out[i &* n &+ j] = sum
                    }
                }
            }
        }
        let output = Tensor(shape: [n, n], scalars: gram)
        GradientTape.recordOp(output: output, inputs: [x], backward: { upstream in
            let g = upstream.scalars
            var gradient = [Float](repeating: 0, count: n &* d)
            g.withUnsafeBufferPointer { g in
                values.withUnsafeBufferPointer { v in
                    gradient.withUnsafeMutableBufferPointer { out in
                        for i in 0..<n {
                            for k in 0..<d {
                                var left: Float = 0, right: Float = 0
                                for j in 0..<n {
                                    left = left.addingProduct(g[i &* n &+ j], v[j &* d &+ k])
                                    right = right.addingProduct(g[j &* n &+ i], v[j &* d &+ k])
                                }
                                out[i &* d &+ k] = left + right
                            }
                        }
                    }
                }
            }
            return [Tensor(shape: [n, d], scalars: gradient)]
        })
        return output
    }

    /// max(x, 0) with JAX's gradient: ½ at x = 0 (a sample's distance to itself can be exactly 0).
    private static func maxZero(_ x: Tensor) -> Tensor { (x + x.abs()) * 0.5 }

    private static func labels(_ yTrue: Tensor) -> Tensor {
        let labels = LossMath.floats(yTrue)
        return labels.rank == 2 && labels.shape[1] == 1 ? labels.squeezed(axes: [1]) : labels
    }

    /// (positive, negative) pair masks as 0/1 floats, (batch, batch).
    private func masks(_ yTrue: Tensor) -> (Tensor, Tensor) {
        // Keras casts the labels to int32 before comparing them.
        let ids = Self.labels(yTrue).scalars.map { Float(Int32(clamping: Int(exactly: $0.rounded(.towardZero)) ?? 0)) }
        let n = ids.count
        var positive = [Float](repeating: 0, count: n &* n), negative = positive
        for i in 0..<n {
            for j in 0..<n {
                let same = ids[i] == ids[j]
                positive[i &* n &+ j] = same && !(removeDiagonal && i == j) ? 1 : 0
                negative[i &* n &+ j] = same ? 0 : 1
            }
        }
        return (Tensor(shape: [n, n], scalars: positive), Tensor(shape: [n, n], scalars: negative))
    }
}
