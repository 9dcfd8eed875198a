/// Gradient clipping as Keras's `BaseOptimizer._clip_gradients` computes it (keras-spec §8.1),
/// with the same float32 operation order: each function returns new gradients and leaves its
/// inputs alone (a gradient may be shared with the tape's other results).
enum GradientClipping {
    /// `g·c / max(‖g‖₂, c)` per tensor (Keras's `_clip_by_norm`); a zero gradient stays zero.
    static func clippedByNorm(_ gradient: Tensor, _ clipNorm: Float) -> Tensor {
        let norm = Float(sumOfSquares(gradient).squareRoot())
        let divisor = max(norm, clipNorm)
        return map(gradient) { $0 * clipNorm / divisor }
    }

    /// Every gradient times `c · min(1/global_norm, 1/c)` (Keras's `clip_by_global_norm`); a
    /// non-finite global norm makes every gradient NaN, as in Keras.
    static func clippedByGlobalNorm(_ gradients: [Tensor], _ clipNorm: Float) -> [Tensor] {
        let globalNorm = Float(gradients.reduce(0) { $0 + sumOfSquares($1) }.squareRoot())
        let scale = clipNorm * min(1 / globalNorm, 1 / clipNorm) + (globalNorm - globalNorm)
        return scaled(gradients, by: scale)
    }

    /// Each element clipped to [−v, v].
    static func clippedByValue(_ gradient: Tensor, _ clipValue: Float) -> Tensor {
        map(gradient) { min(max($0, -clipValue), clipValue) }
    }

    static func scaled(_ gradients: [Tensor], by factor: Float) -> [Tensor] {
        gradients.map { g in map(g) { $0 * factor } }
    }

    /// Σ g², accumulated in Double so the norm does not depend on the summation order.
    private static func sumOfSquares(_ tensor: Tensor) -> Double {
        tensor.withUnsafeFloats { g in
            var total = 0.0
            var i = 0
            while i < g.count {
                let x = Double(g[i])
                total += x * x
                i &+= 1
            }
            return total
        }
    }

    @inline(__always)
    private static func map(_ tensor: Tensor, _ transform: (Float) -> Float) -> Tensor {
        var result = Tensor(uninitializedShape: tensor.shape)
        tensor.withUnsafeFloats { source in
            result.withUniqueMutableFloats { target in
                var i = 0
                while i < source.count {
                    target[i] = transform(source[i])
                    i &+= 1
                }
            }
        }
        return result
    }
}
