/// The shapes and offsets of one 3-D convolution over NDHWC volumes with a DHWIO kernel
/// (kd, kh, kw, inChannels, outChannels): `ConvGeometry` with a depth axis. The output size is
/// given, so the same geometry describes a convolution, its transpose and 3-D pooling windows.
public struct VolumeConvGeometry: Equatable {
    public var batch, depth, height, width, inChannels: Int
    public var kernelDepth, kernelHeight, kernelWidth, outChannels: Int
    public var strideZ, strideY, strideX: Int
    public var dilationZ, dilationY, dilationX: Int
    public var padFront, padTop, padLeft: Int
    public var outDepth, outHeight, outWidth: Int

    /// Columns of the im2col matrix: one per (kd, kh, kw, inChannel).
    var patchSize: Int { kernelDepth &* kernelHeight &* kernelWidth &* inChannels }
    /// Output positions of one volume.
    var outPositionsPerVolume: Int { outDepth &* outHeight &* outWidth }
    /// Rows of the im2col matrix: one per output position.
    var outPositions: Int { batch &* outPositionsPerVolume }
    /// Input positions of one volume.
    var positionsPerVolume: Int { depth &* height &* width }

    var inputShape: [Int] { [batch, depth, height, width, inChannels] }
    var outputShape: [Int] { [batch, outDepth, outHeight, outWidth, outChannels] }
    var kernelShape: [Int] { [kernelDepth, kernelHeight, kernelWidth, inChannels, outChannels] }

    /// No output element has a term; such convolutions and their gradients are all zeros.
    var isEmpty: Bool {
        batch == 0 || depth == 0 || height == 0 || width == 0 || inChannels == 0 || outChannels == 0
            || outDepth == 0 || outHeight == 0 || outWidth == 0
    }

    /// Why the im2col workspace of one volume cannot exist, or nil (its size is then computed
    /// with unchecked arithmetic).
    var workspaceProblem: String? {
        var n = 1
        for factor in [outDepth, outHeight, outWidth, kernelDepth, kernelHeight, kernelWidth, inChannels] where factor != 0 {
            let (product, overflow) = n.multipliedReportingOverflow(by: factor)
            if overflow || product > ShapeMath.maximumElementCount {
                return "its patch matrix would hold more elements than memory can (at most 2^45 per volume)"
            }
            n = product
        }
        return nil
    }

    /// The geometry of a 3-D window op (convolution or pooling) on an NDHWC `shape`, with Keras's
    /// output sizes and padding splits per axis; nil with the reason when it cannot be computed.
    static func make(input shape: [Int], window: [Int], strides: [Int], dilation: [Int], padding: Padding,
                     outChannels: Int) -> (geometry: VolumeConvGeometry?, problem: String?) {
        var outputs: [(output: Int, padBefore: Int)] = []
        for axis in 0..<3 {
            if let problem = ConvArithmetic.axisProblem(length: shape[1 + axis], kernel: window[axis],
                                                        stride: strides[axis], dilation: dilation[axis]) {
                return (nil, problem)
            }
            outputs.append(ConvArithmetic.convolution(length: shape[1 + axis], kernel: window[axis], stride: strides[axis],
                                                      dilation: dilation[axis], padding: padding))
        }
        guard outputs.allSatisfy({ $0.output > 0 }) else {
            return (nil, "the window \(window) (dilation \(dilation)) is larger than the \(padding.rawValue)-padded input")
        }
        let g = VolumeConvGeometry(batch: shape[0], depth: shape[1], height: shape[2], width: shape[3], inChannels: shape[4],
                                   kernelDepth: window[0], kernelHeight: window[1], kernelWidth: window[2],
                                   outChannels: outChannels, strideZ: strides[0], strideY: strides[1], strideX: strides[2],
                                   dilationZ: dilation[0], dilationY: dilation[1], dilationX: dilation[2],
                                   padFront: outputs[0].padBefore, padTop: outputs[1].padBefore, padLeft: outputs[2].padBefore,
                                   outDepth: outputs[0].output, outHeight: outputs[1].output, outWidth: outputs[2].output)
        return (g, g.workspaceProblem)
    }

    /// Calls `body(tap, input position)` for every kernel tap of output `position` (counted over
    /// the whole batch) that lands inside its volume; `tap` counts (kd, kh, kw) row-major and the
    /// input position counts over the whole batch too.
    @inline(__always)
    func forEachTap(_ position: Int, _ body: (Int, Int) -> Void) {
        let perVolume = outPositionsPerVolume
        let volume = position / perVolume, rest = position % perVolume
        let oz = rest / (outHeight &* outWidth), inPlane = rest % (outHeight &* outWidth)
        let oy = inPlane / outWidth, ox = inPlane % outWidth
        let volumeBase = volume &* positionsPerVolume
        var tap = 0
        for kz in 0..<kernelDepth {
            let iz = oz &* strideZ &- padFront &+ kz &* dilationZ
            guard iz >= 0 && iz < depth else { tap &+= kernelHeight &* kernelWidth; continue }
            for ky in 0..<kernelHeight {
                let iy = oy &* strideY &- padTop &+ ky &* dilationY
                guard iy >= 0 && iy < height else { tap &+= kernelWidth; continue }
                for kx in 0..<kernelWidth {
                    let ix = ox &* strideX &- padLeft &+ kx &* dilationX
                    if ix >= 0 && ix < width {
                        body(tap, volumeBase &+ (iz &* height &+ iy) &* width &+ ix)
                    }
                    tap &+= 1
                }
            }
        }
    }
}
