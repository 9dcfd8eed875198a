internal import CKeelDNNL
import Synchronization

/// 2-D convolutions on oneDNN, the library PyTorch and TensorFlow run CPU convolutions on. Its
/// direct kernels read Keel's NHWC tensors as they are (no patch matrix), which is where
/// im2col + GEMM loses most: 16–128 channels, where the patch matrix is large and the GEMM thin.
///
/// oneDNN chooses an implementation per geometry and direction once (that costs about a
/// millisecond), so plans are kept per geometry; a geometry oneDNN refuses runs on Keel's own kernels.
enum OneDNNConvolution {
    enum Direction: Int, Hashable {
        case forward, backwardData, backwardWeights

        fileprivate var dnnl: keel_conv_direction {
            switch self {
            case .forward: KEEL_CONV_FORWARD
            case .backwardData: KEEL_CONV_BACKWARD_DATA
            case .backwardWeights: KEEL_CONV_BACKWARD_WEIGHTS
            }
        }
    }

    private struct Key: Hashable {
        var geometry: ConvGeometry
        var direction: Direction
    }

    /// A model has a few dozen convolution geometries at most; past this many (shapes that change
    /// every call), the plans are dropped and made again.
    private static let planLimit = 256

    private struct Plans: ~Copyable {
        var byKey: [Key: OpaquePointer?] = [:]
        /// Why oneDNN refused the last geometry it refused (e.g. libdnnl.so.2 is not installed).
        var lastRefusal: String?

        mutating func plan(for key: Key) -> OpaquePointer? {
            if let known = byKey[key] { return known }
            if byKey.count >= OneDNNConvolution.planLimit {
                for case let plan? in byKey.values { keel_conv_plan_destroy(plan) }
                byKey.removeAll()
            }
            var shape = key.geometry.dnnlShape
            var plan: OpaquePointer?
            let refusal = OneDNNConvolution.failure { error, capacity in
                plan = keel_conv_plan_create(&shape, key.direction.dnnl, error, capacity)
                return plan != nil
            }
            byKey[key] = plan
            if let refusal { lastRefusal = refusal }
            return plan
        }
    }

    /// Also serialises runs: a plan binds its operands' addresses while it runs, and oneDNN's
    /// own threads do the parallel work inside it.
    private static let plans = Mutex(Plans())

    /// Runs one direction on oneDNN. False when oneDNN has no implementation for this geometry
    /// (the caller then uses Keel's kernels); nothing has been written then.
    static func run(_ direction: Direction, _ g: ConvGeometry, _ first: UnsafePointer<Float>,
                    _ second: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>) -> Bool {
        plans.withLock { plans in
            guard let plan = plans.plan(for: Key(geometry: g, direction: direction)) else { return false }
            // The plan was made for these shapes; a failure now is oneDNN's own fault (e.g. out of
            // memory for its scratchpad), which no caller can handle.
            if let failure = failure({ keel_conv_plan_run(plan, first, second, output, $0, $1) == 0 }) {
                OpCheck.fail("conv2d: \(failure) for input \(g.inputShape), kernel \(g.kernelShape)")
            }
            return true
        }
    }

    /// Calls `body` with a buffer for oneDNN's message; the message when `body` reports failure.
    private static func failure(_ body: (UnsafeMutablePointer<CChar>, Int) -> Bool) -> String? {
        var error = [CChar](repeating: 0, count: 256)
        let succeeded = error.withUnsafeMutableBufferPointer { body($0.baseAddress!, $0.count) }
        return succeeded ? nil : String(decoding: error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Why oneDNN last refused a geometry, or nil.
    static var refusal: String? { plans.withLock { $0.lastRefusal } }

    /// oneDNN's name for what it runs for this geometry and direction (for benchmarks and tests),
    /// or nil when it has none.
    static func implementation(_ direction: Direction, _ g: ConvGeometry) -> String? {
        plans.withLock { plans in
            plans.plan(for: Key(geometry: g, direction: direction)).map { String(cString: keel_conv_plan_implementation($0)) }
        }
    }
}

/// Which library runs Keel's 2-D convolutions on this machine, in one line (for `keel doctor`).
public enum ConvolutionLibrary {
    public static var summary: String {
        // A 3×3 layer of 32 channels, as in the seeds' CNNs.
        let probe = ConvGeometry(batch: 1, height: 8, width: 8, inChannels: 32, kernelHeight: 3, kernelWidth: 3,
                                 outChannels: 32, strideY: 1, strideX: 1, dilationY: 1, dilationX: 1,
                                 padTop: 1, padLeft: 1, outHeight: 8, outWidth: 8)
        if let name = OneDNNConvolution.implementation(.forward, probe) {
            return "convolutions: oneDNN (\(name) for a 3×3 layer of 32 channels)"
        }
        return "convolutions: im2col + BLAS, slower: \(OneDNNConvolution.refusal ?? "oneDNN refused a 3×3 layer")"
    }
}

extension ConvGeometry {
    fileprivate var dnnlShape: keel_conv_shape {
        keel_conv_shape(batch: Int64(batch), height: Int64(height), width: Int64(width), in_channels: Int64(inChannels),
                        kernel_height: Int64(kernelHeight), kernel_width: Int64(kernelWidth), out_channels: Int64(outChannels),
                        stride_y: Int64(strideY), stride_x: Int64(strideX), dilation_y: Int64(dilationY), dilation_x: Int64(dilationX),
                        pad_top: Int64(padTop), pad_left: Int64(padLeft), out_height: Int64(outHeight), out_width: Int64(outWidth))
    }
}
