/// The shapes and offsets of one 2-D convolution over NHWC data with an HWIO kernel
/// (kh, kw, inChannels, outChannels). `padTop`/`padLeft` are the implicit zero rows/columns
/// before the input; the output size is given, so the same geometry describes a convolution
/// and the transposed convolution that runs it backwards.
public struct ConvGeometry: Equatable {
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

/// Output sizes and padding splits exactly as Keras computes them (see keras-spec §10).
public enum ConvArithmetic {
    /// Output length and the padding before the input, for a convolution.
    public static func convolution(length n: Int, kernel k: Int, stride s: Int, dilation d: Int,
                                   padding: Padding) -> (output: Int, padBefore: Int) {
        let effective = d * (k - 1) + 1
        switch padding {
        case .valid:
            return (n >= effective ? (n - effective) / s + 1 : 0, 0)
        case .same:
            let output = (n + s - 1) / s
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
