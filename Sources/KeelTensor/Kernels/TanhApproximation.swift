extension Tensor {
    /// tanh as a rational function of x (numerator of degree 13, denominator 6, on x clamped to
    /// ±7.905, where tanh rounds to ±1 in float32), within 4e-7 of tanh over all floats. It has no
    /// call and no branch the compiler cannot turn into a select, so a loop of it vectorises where
    /// a loop calling libm's `tanhf` (through `expm1f`) runs one element at a time. Used by the
    /// fused recurrences, whose gates are most of their elementwise time.
    @inline(__always)
    static func tanhApproximation(_ x: Float) -> Float {
        let clamped = Swift.min(Swift.max(x, -7.90531110763549805), 7.90531110763549805)
        let x2 = clamped * clamped
        var p: Float = -2.76076847742355e-16
        p = p * x2 + 2.00018790482477e-13
        p = p * x2 + -8.60467152213735e-11
        p = p * x2 + 5.12229709037114e-08
        p = p * x2 + 1.48572235717979e-05
        p = p * x2 + 6.37261928875436e-04
        p = p * x2 + 4.89352455891786e-03
        p *= clamped
        var q: Float = 1.19825839466702e-06
        q = q * x2 + 1.18534705686654e-04
        q = q * x2 + 2.26843463243900e-03
        q = q * x2 + 4.89352518554385e-03
        // Below 4e-4 tanh(x) is x in float32.
        return Swift.abs(x) < 0.0004 ? x : p / q
    }

    /// The logistic sigmoid through `tanhApproximation` (σ(x) = (1 + tanh(x/2)) / 2): within 2e-7
    /// of σ, and vectorisable for the same reason.
    @inline(__always)
    static func sigmoidApproximation(_ x: Float) -> Float {
        0.5 + 0.5 * tanhApproximation(0.5 * x)
    }
}
