/// The shapes and offsets of one 2-D convolution over NHWC data with an HWIO kernel
/// (kh, kw, inChannels, outChannels). `padTop`/`padLeft` are the implicit zero rows/columns
/// before the input; the output size is given, so the same geometry describes a convolution
/// and the transposed convolution that runs it backwards.
public struct ConvGeometry: Hashable {
    public var batch, height, width, inChannels: Int
    public var kernelHeight, kernelWidth, outChannels: Int
    public var strideY, strideX, dilationY, dilationX: Int
    public var padTop, padLeft: Int
    public var outHeight, outWidth: Int

    /// Columns of the im2col matrix: one per (kh, kw, inChannel).
    var patchSize: Int { kernelHeight &* kernelWidth &* inChannels }
    /// Rows of the im2col matrix: one per output pixel.
    var outPixels: Int { batch &* outHeight &* outWidth }

    var inputShape: [Int] { [batch, height, width, inChannels] }
    var outputShape: [Int] { [batch, outHeight, outWidth, outChannels] }
    var kernelShape: [Int] { [kernelHeight, kernelWidth, inChannels, outChannels] }

    /// No output element has a term: a zero batch, channel or spatial size. Such convolutions
    /// (and their gradients) are all zeros, and skip the kernels (whose GEMMs need strides ≥ 1).
    var isEmpty: Bool {
        batch == 0 || height == 0 || width == 0 || inChannels == 0 || outChannels == 0
            || outHeight == 0 || outWidth == 0 || kernelHeight == 0 || kernelWidth == 0
    }

    /// Why the im2col workspace of this convolution (or of its input gradient run as a
    /// convolution) cannot exist, or nil: its size is computed with unchecked arithmetic.
    var workspaceProblem: String? {
        let limit = ShapeMath.maximumElementCount
        for (pixels, channels) in [(outHeight, inChannels), (height, outChannels)] {
            var n = 1
            for factor in [pixels, pixels == outHeight ? outWidth : width, kernelHeight, kernelWidth, channels] where factor != 0 {
                let (product, overflow) = n.multipliedReportingOverflow(by: factor)
                if overflow || product > limit {
                    return "its patch matrix would hold more elements than memory can (at most 2^45 per image)"
                }
                n = product
            }
        }
        return nil
    }

    /// A 1×1, stride-1, unpadded convolution: the input already is the im2col matrix.
    var isPointwise: Bool {
        kernelHeight == 1 && kernelWidth == 1 && strideY == 1 && strideX == 1 && padTop == 0 && padLeft == 0
            && outHeight == height && outWidth == width
    }
}

/// Keras's padding modes.
public enum Padding: String, Sendable {
    case valid, same
}

/// Output sizes and padding splits exactly as Keras computes them (see keras-spec §10). The
/// formulas use checked arithmetic: callers pass arguments `axisProblem` accepts, which keeps
/// every intermediate far from overflowing.
public enum ConvArithmetic {
    /// Why a convolution (or transposed convolution) along one axis of `length` cannot be
    /// computed, or nil. Sizes are bounded by `ShapeMath.maximumElementCount`.
    public static func axisProblem(length n: Int, kernel k: Int, stride s: Int, dilation d: Int,
                                   transposedWithOutputPadding outputPadding: Int?? = nil) -> String? {
        let limit = ShapeMath.maximumElementCount
        if n < 0 || n > limit { return "the input length \(n) is out of range" }
        if k < 1 || k > limit { return "the kernel size \(k) must be positive" }
        if s < 1 || s > limit { return "the stride \(s) must be positive (and at most 2^45)" }
        if d < 1 || d > limit { return "the dilation rate \(d) must be positive (and at most 2^45)" }
        if k - 1 > limit / d { return "the kernel size \(k) dilated by \(d) is too large" }
        if let outputPadding {
            if n == 0 { return "the input has an empty spatial axis" }
            if n > limit / s { return "the input length \(n) times the stride \(s) is too large" }
            if let p = outputPadding, p < 0 || p >= s {
                return "the output padding \(p) must be at least 0 and less than the stride \(s)"
            }
        }
        return nil
    }

    /// Output length and the padding before the input, for a convolution.
    public static func convolution(length n: Int, kernel k: Int, stride s: Int, dilation d: Int,
                                   padding: Padding) -> (output: Int, padBefore: Int) {
        let effective = d * (k - 1) + 1
        switch padding {
        case .valid:
            return (n >= effective ? (n - effective) / s + 1 : 0, 0)
        case .same:
            let output = n == 0 ? 0 : (n - 1) / s + 1  // ⌈n/s⌉ without n + s overflowing
            let total = Swift.max((output - 1) * s + effective - n, 0)
            return (output, total / 2)  // the odd pixel goes at the end
        }
    }

    /// Output length and the equivalent convolution's padding before, for a transposed
    /// convolution (`outputPadding` nil means Keras's default).
    public static func transposedConvolution(length n: Int, kernel k: Int, stride s: Int, dilation d: Int,
                                             padding: Padding, outputPadding: Int?) -> (output: Int, padBefore: Int) {
        let effective = d * (k - 1) + 1
        switch padding {
        case .valid:
            let extra = outputPadding ?? (Swift.max(effective, s) - effective)
            return ((n - 1) * s + effective + extra, 0)
        case .same:
            let output = outputPadding.map { (n - 1) * s + effective % 2 + $0 } ?? n * s
            // The convolution this transposes maps `output` back to n with TensorFlow's SAME split.
            let total = Swift.max((n - 1) * s + effective - output, 0)
            return (output, total / 2)
        }
    }
}
