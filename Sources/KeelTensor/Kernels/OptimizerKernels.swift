internal import CKernels

/// Optimizer update rules whose square roots need the vectorised C kernels (see CKernels).
public enum OptimizerKernels {
    /// One Adam step over `count` elements, split across cores for large variables:
    /// m += (g − m)(1 − β1); v += (g² − v)(1 − β2); w −= α·m / (√v + ε).
    public static func adamStep(count: Int, w: UnsafeMutablePointer<Float>, m: UnsafeMutablePointer<Float>,
                                v: UnsafeMutablePointer<Float>, g: UnsafePointer<Float>, alpha: Float,
                                oneMinusBeta1: Float, oneMinusBeta2: Float, epsilon: Float) {
        Parallel.forRanges(count, threshold: 1 << 16) { range in
            let start = range.lowerBound
            keel_adam_step(w + start, m + start, v + start, g + start, range.count, alpha, oneMinusBeta1, oneMinusBeta2, epsilon)
        }
    }
}
