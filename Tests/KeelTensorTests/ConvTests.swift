import XCTest
@testable import KeelTensor

/// Conv2D and Conv2DTranspose against the naive references, Keras's output sizes and
/// padding splits, and the adjoint relation between the two.
final class ConvTests: XCTestCase {
    private struct Config {
        var input: [Int], kernel: [Int]
        var strides = (1, 1), dilation = (1, 1)
        var same = false
        var outputPadding: (Int, Int)? = nil
        var text: String {
            "input \(input) kernel \(kernel) strides \(strides) dilation \(dilation) \(same ? "same" : "valid")"
                + (outputPadding.map { " outputPadding \($0)" } ?? "")
        }
    }

    private func operands(_ config: Config) -> (Tensor, Tensor) {
        var random = TestRandom(name: config.text)
        return (Tensor.testUniform(config.input, &random), Tensor.testUniform(config.kernel, &random))
    }

    func testConv2dMatchesNaiveReference() {
        let configs = [
            Config(input: [2, 5, 5, 2], kernel: [3, 3, 2, 3]),
            Config(input: [2, 5, 5, 2], kernel: [3, 3, 2, 3], same: true),
            Config(input: [1, 6, 7, 2], kernel: [3, 3, 2, 2], strides: (2, 2)),
            Config(input: [1, 6, 7, 2], kernel: [3, 3, 2, 2], strides: (2, 2), same: true),
            Config(input: [1, 7, 7, 1], kernel: [3, 3, 1, 2], dilation: (2, 2), same: true),
            Config(input: [1, 7, 8, 2], kernel: [2, 3, 2, 2], dilation: (2, 1)),
            Config(input: [1, 5, 6, 2], kernel: [1, 3, 2, 2], strides: (2, 1), same: true),
            Config(input: [1, 5, 6, 1], kernel: [3, 1, 1, 3], strides: (1, 2), same: true),
            Config(input: [1, 4, 4, 1], kernel: [2, 2, 1, 1], same: true),
            Config(input: [2, 3, 4, 3], kernel: [1, 1, 3, 2]),
            Config(input: [1, 5, 5, 3], kernel: [1, 1, 3, 2], strides: (2, 2)),
            // One filter over many channels: the direct kernels, not im2col.
            Config(input: [2, 6, 6, 20], kernel: [3, 3, 20, 1], same: true),
            Config(input: [1, 7, 7, 33], kernel: [3, 2, 33, 1], strides: (2, 1), dilation: (1, 2)),
            // One to four input channels and at least eight filters: the direct kernels for image inputs.
            Config(input: [2, 6, 6, 1], kernel: [3, 3, 1, 9], same: true),
            Config(input: [1, 7, 8, 3], kernel: [3, 2, 3, 17], strides: (2, 1), dilation: (1, 2), same: true),
        ]
        for config in configs {
            let (x, k) = operands(config)
            let y = x.conv2d(k, strides: config.strides, padding: config.same ? .same : .valid, dilation: config.dilation)
            assertClose(y, Ref.conv2d(RefArray(x), RefArray(k), strides: config.strides, dilation: config.dilation,
                                      same: config.same), absolute: 1e-5, relative: 1e-5, config.text)
        }
    }

    /// Worked by hand: with 'same' padding the odd padding pixel goes after the input
    /// (bottom/right), as Keras/TensorFlow do.
    func testSamePaddingPutsTheOddPixelAtTheEnd() {
        let row = Tensor(shape: [1, 1, 4, 1], scalars: [1, 2, 3, 4])
        XCTAssertEqual(row.conv2d(Tensor(shape: [1, 2, 1, 1], scalars: [1, 10]), padding: .same).scalars, [21, 32, 43, 4])
        let column = Tensor(shape: [1, 4, 1, 1], scalars: [1, 2, 3, 4])
        XCTAssertEqual(column.conv2d(Tensor(shape: [2, 1, 1, 1], scalars: [1, 10]), padding: .same).scalars, [21, 32, 43, 4])
        // n=4, k=3, s=2: 2 outputs, one padding pixel, after: [1·1+2·10+3·100, 3·1+4·10+0].
        let kernel = Tensor(shape: [1, 3, 1, 1], scalars: [1, 10, 100])
        XCTAssertEqual(row.conv2d(kernel, strides: (1, 2), padding: .same).scalars, [321, 43])
    }

    func testConv2dOutputShapesFollowKeras() {
        let cases: [(n: Int, k: Int, s: Int, d: Int, valid: Int, same: Int)] = [
            (5, 3, 2, 1, 2, 3), (6, 3, 2, 1, 2, 3), (7, 3, 1, 2, 3, 7), (4, 4, 1, 1, 1, 4), (9, 2, 3, 1, 3, 3),
        ]
        for c in cases {
            let x = Tensor.zeros([1, c.n, 1, 1]), k = Tensor.zeros([c.k, 1, 1, 1])
            XCTAssertEqual(x.conv2d(k, strides: (c.s, 1), padding: .valid, dilation: (c.d, 1)).shape[1], c.valid, "\(c) valid")
            XCTAssertEqual(x.conv2d(k, strides: (c.s, 1), padding: .same, dilation: (c.d, 1)).shape[1], c.same, "\(c) same")
        }
    }

    func testConv2dTransposeOutputShapesFollowKeras() {
        let cases: [(n: Int, k: Int, s: Int, d: Int, outputPadding: Int?, valid: Int, same: Int)] = [
            (5, 3, 2, 1, nil, 11, 10), (4, 2, 2, 1, nil, 8, 8), (3, 1, 2, 1, nil, 6, 6), (4, 3, 1, 2, nil, 8, 4),
            (3, 3, 2, 1, 1, 8, 6), (5, 3, 2, 1, 0, 11, 9), (4, 4, 2, 1, 1, 11, 7),
        ]
        for c in cases {
            let x = Tensor.zeros([1, c.n, 2, 1]), k = Tensor.zeros([c.k, 1, 1, 1])
            let padding = c.outputPadding.map { ($0, 0) }
            XCTAssertEqual(x.conv2dTranspose(k, strides: (c.s, 1), padding: .valid, dilation: (c.d, 1),
                                             outputPadding: padding).shape, [1, c.valid, 2, 1], "\(c) valid")
            XCTAssertEqual(x.conv2dTranspose(k, strides: (c.s, 1), padding: .same, dilation: (c.d, 1),
                                             outputPadding: padding).shape, [1, c.same, 2, 1], "\(c) same")
        }
    }

    func testConv2dTransposeMatchesNaiveScatter() {
        let configs = [
            Config(input: [1, 3, 3, 2], kernel: [3, 3, 2, 2], strides: (2, 2)),
            Config(input: [2, 3, 4, 1], kernel: [3, 3, 2, 1], strides: (2, 2), same: true),
            Config(input: [1, 4, 4, 2], kernel: [2, 2, 3, 2], strides: (2, 2)),
            Config(input: [1, 4, 4, 2], kernel: [2, 2, 3, 2], strides: (2, 2), same: true),
            Config(input: [1, 3, 3, 1], kernel: [2, 3, 1, 1], strides: (1, 2), same: true),
            Config(input: [1, 3, 3, 2], kernel: [2, 2, 1, 2], dilation: (2, 2)),
            Config(input: [1, 3, 3, 2], kernel: [2, 2, 1, 2], dilation: (2, 2), same: true),
            Config(input: [1, 3, 3, 1], kernel: [1, 1, 2, 1], strides: (2, 2)),
            Config(input: [1, 2, 3, 2], kernel: [1, 1, 3, 2]),
            Config(input: [1, 2, 2, 1], kernel: [3, 3, 1, 1], strides: (2, 2), outputPadding: (1, 1)),
        ]
        for config in configs { checkTransposeAgainstScatter(config) }
    }

    /// 'same' with an explicit output padding: the output length is (n−1)·s + k%2 + p, and the
    /// padding before must be TensorFlow's split for that length.
    func testConv2dTransposeSameWithOutputPaddingMatchesNaiveScatter() {
        checkTransposeAgainstScatter(Config(input: [1, 3, 3, 1], kernel: [3, 3, 1, 1], strides: (2, 2), same: true,
                                            outputPadding: (0, 0)))
        checkTransposeAgainstScatter(Config(input: [1, 3, 2, 1], kernel: [4, 4, 1, 1], strides: (2, 2), same: true,
                                            outputPadding: (1, 1)))
    }

    private func checkTransposeAgainstScatter(_ config: Config, file: StaticString = #filePath, line: UInt = #line) {
        let (x, k) = operands(config)
        let y = x.conv2dTranspose(k, strides: config.strides, padding: config.same ? .same : .valid,
                                  dilation: config.dilation, outputPadding: config.outputPadding)
        assertClose(y, Ref.conv2dTranspose(RefArray(x), RefArray(k), strides: config.strides, dilation: config.dilation,
                                           same: config.same, outputPadding: config.outputPadding),
                    absolute: 1e-5, relative: 1e-5, config.text, file: file, line: line)
    }

    /// ⟨conv(x, K), y⟩ = ⟨x, convᵀ(y, K)⟩ when the transposed convolution maps back to x's size.
    func testConv2dTransposeIsTheAdjointOfConv2d() {
        let configs = [
            Config(input: [1, 7, 7, 2], kernel: [3, 3, 2, 3], strides: (2, 2)),
            Config(input: [2, 6, 6, 2], kernel: [3, 3, 2, 3], strides: (2, 2), same: true),
            Config(input: [1, 5, 5, 1], kernel: [2, 2, 1, 2], same: true),
        ]
        for config in configs {
            let (x, k) = operands(config)
            let padding: Padding = config.same ? .same : .valid
            let forward = x.conv2d(k, strides: config.strides, padding: padding)
            var random = TestRandom(seed: 61)
            let y = Tensor.testUniform(forward.shape, &random)
            let back = y.conv2dTranspose(k, strides: config.strides, padding: padding)
            XCTAssertEqual(back.shape, x.shape, config.text)
            guard back.shape == x.shape else { continue }
            XCTAssertEqual((forward * y).sum().scalar, (x * back).sum().scalar, accuracy: 1e-4, config.text)
        }
    }

    /// The im2col + GEMM path (what runs when oneDNN refuses a geometry) computes what oneDNN
    /// computes, in all three directions, over the reference test's geometries (strides, dilation,
    /// padding, 1×1, few channels).
    func testIm2colFallbackMatchesOneDNN() {
        let geometries = [
            ConvGeometry(batch: 2, height: 5, width: 5, inChannels: 2, kernelHeight: 3, kernelWidth: 3, outChannels: 3,
                         strideY: 1, strideX: 1, dilationY: 1, dilationX: 1, padTop: 1, padLeft: 1, outHeight: 5, outWidth: 5),
            ConvGeometry(batch: 1, height: 6, width: 7, inChannels: 2, kernelHeight: 3, kernelWidth: 3, outChannels: 2,
                         strideY: 2, strideX: 2, dilationY: 1, dilationX: 1, padTop: 0, padLeft: 1, outHeight: 3, outWidth: 4),
            ConvGeometry(batch: 1, height: 7, width: 8, inChannels: 2, kernelHeight: 2, kernelWidth: 3, outChannels: 2,
                         strideY: 1, strideX: 1, dilationY: 2, dilationX: 1, padTop: 0, padLeft: 0, outHeight: 5, outWidth: 6),
            ConvGeometry(batch: 2, height: 3, width: 4, inChannels: 3, kernelHeight: 1, kernelWidth: 1, outChannels: 2,
                         strideY: 1, strideX: 1, dilationY: 1, dilationX: 1, padTop: 0, padLeft: 0, outHeight: 3, outWidth: 4),
            ConvGeometry(batch: 1, height: 7, width: 8, inChannels: 3, kernelHeight: 3, kernelWidth: 2, outChannels: 17,
                         strideY: 2, strideX: 1, dilationY: 1, dilationX: 2, padTop: 1, padLeft: 1, outHeight: 4, outWidth: 8),
            // Stride 2 with an input row and column the kernel never reaches ('valid').
            ConvGeometry(batch: 2, height: 8, width: 8, inChannels: 16, kernelHeight: 3, kernelWidth: 3, outChannels: 16,
                         strideY: 2, strideX: 2, dilationY: 1, dilationX: 1, padTop: 0, padLeft: 0, outHeight: 3, outWidth: 3),
        ]
        for g in geometries {
            for direction in [OneDNNConvolution.Direction.forward, .backwardData, .backwardWeights] {
                XCTAssertNotNil(OneDNNConvolution.implementation(direction, g), "oneDNN runs \(direction) for \(g)")
            }
            var random = TestRandom(seed: 63)
            let x = Tensor.testUniform(g.inputShape, &random), kernel = Tensor.testUniform(g.kernelShape, &random)
            let cotangent = Tensor.testUniform(g.outputShape, &random)
            let library = kernelResults(x, kernel, cotangent, g, ConvKernels.forward, ConvKernels.backpropInput, ConvKernels.backpropKernel)
            let fallback = kernelResults(x, kernel, cotangent, g, Im2colConvKernels.forward, Im2colConvKernels.backpropInput,
                                         Im2colConvKernels.backpropKernel)
            assertClose(fallback.y, library.y, absolute: 1e-5, relative: 1e-5, "forward \(g)")
            assertClose(fallback.dx, library.dx, absolute: 1e-5, relative: 1e-5, "input gradient \(g)")
            assertClose(fallback.dk, library.dk, absolute: 1e-4, relative: 1e-5, "kernel gradient \(g)")
        }
    }

    private typealias Kernel = (UnsafePointer<Float>, UnsafePointer<Float>, ConvGeometry, UnsafeMutablePointer<Float>) -> Void

    /// y = conv(x, kernel), dx and dkernel for the cotangent, straight from the given kernels.
    private func kernelResults(_ x: Tensor, _ kernel: Tensor, _ cotangent: Tensor, _ g: ConvGeometry,
                               _ forward: Kernel, _ backpropInput: Kernel, _ backpropKernel: Kernel) -> (y: [Float], dx: [Float], dk: [Float]) {
        let y = Tensor(uninitializedShape: g.outputShape), dx = Tensor(uninitializedShape: g.inputShape)
        let dk = Tensor(uninitializedShape: g.kernelShape)
        forward(x.storage.floats, kernel.storage.floats, g, y.storage.floats)
        backpropInput(cotangent.storage.floats, kernel.storage.floats, g, dx.storage.floats)
        backpropKernel(x.storage.floats, cotangent.storage.floats, g, dk.storage.floats)
        return (y.scalars, dx.scalars, dk.scalars)
    }

    /// Images big enough that the im2col matrix is built two images at a time, for a batch of
    /// three (two chunks, the last one partial): the batch result and both gradients of the im2col
    /// path must equal the per-image ones (kernel gradients summed).
    func testChunkedBatchEqualsPerImageResults() {
        let channels = 4, patch = 3 * 3 * channels
        // About 2.5 images' worth of patch rows fill one chunk.
        let side = Int((Double(Im2colConvKernels.chunkElements) / Double(patch) / 2.5).squareRoot())
        func geometry(batch: Int) -> ConvGeometry {
            ConvGeometry(batch: batch, height: side + 2, width: side + 2, inChannels: channels,
                         kernelHeight: 3, kernelWidth: 3, outChannels: 2, strideY: 1, strideX: 1,
                         dilationY: 1, dilationX: 1, padTop: 0, padLeft: 0, outHeight: side, outWidth: side)
        }
        XCTAssertEqual(Im2colConvKernels.imagesPerChunk(geometry(batch: 3)), 2, "the batch must span two chunks")
        var random = TestRandom(seed: 62)
        let x = Tensor.testUniform(geometry(batch: 3).inputShape, &random)
        let kernel = Tensor.testUniform(geometry(batch: 3).kernelShape, &random)
        let cotangent = Tensor.testUniform(geometry(batch: 3).outputShape, &random)

        func image(_ t: Tensor, _ i: Int) -> Tensor { t.slice(begin: [i, 0, 0, 0], size: [1, -1, -1, -1]) }
        func im2col(_ x: Tensor, _ cotangent: Tensor, batch: Int) -> (y: [Float], dx: [Float], dk: [Float]) {
            kernelResults(x, kernel, cotangent, geometry(batch: batch), Im2colConvKernels.forward,
                          Im2colConvKernels.backpropInput, Im2colConvKernels.backpropKernel)
        }
        let batch = im2col(x, cotangent, batch: 3)
        let single = (0..<3).map { im2col(image(x, $0), image(cotangent, $0), batch: 1) }
        assertClose(batch.y, single.flatMap(\.y), absolute: 1e-4, relative: 1e-4, "forward")
        assertClose(batch.dx, single.flatMap(\.dx), absolute: 1e-4, relative: 1e-4, "input gradient")
        let summed = (0..<batch.dk.count).map { i in single[0].dk[i] + single[1].dk[i] + single[2].dk[i] }
        assertClose(batch.dk, summed, absolute: 1e-3, relative: 1e-4, "kernel gradient")
    }
}
