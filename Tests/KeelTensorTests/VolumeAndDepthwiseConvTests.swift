import XCTest
@testable import KeelTensor

/// conv3d, conv3dTranspose, maxPool3d, avgPool3d and depthwiseConv2d against naive loops written
/// from the Keras definitions (padding from `Ref.convPadding`, which ConvTests checks), on
/// shapes, strides, dilations and channel counts the Keras fixtures do not reach.
final class VolumeAndDepthwiseConvTests: XCTestCase {
    private struct Case {
        var input: [Int], kernel: [Int]
        var strides = [1, 1, 1], dilation = [1, 1, 1]
        var same = false
        var text: String { "input \(input) kernel \(kernel) strides \(strides) dilation \(dilation) \(same ? "same" : "valid")" }
    }

    private func operands(_ c: Case) -> (Tensor, Tensor) {
        var random = TestRandom(name: c.text)
        return (Tensor.testUniform(c.input, &random), Tensor.testUniform(c.kernel, &random))
    }

    /// Output length and padding before, per spatial axis.
    private func axes(_ c: Case, window: [Int]) -> [(output: Int, before: Int)] {
        (0..<3).map { Ref.convPadding(length: c.input[1 + $0], kernel: window[$0], stride: c.strides[$0],
                                       dilation: c.dilation[$0], same: c.same) }
    }

    /// y[b, o, f] = Σ over taps t and channels ch of x[b, o·s − pad + t·d, ch] · K[t, ch, f].
    private func referenceConv3d(_ x: RefArray, _ k: RefArray, _ c: Case) -> RefArray {
        let a = axes(c, window: Array(k.shape[0..<3]))
        let (channels, filters) = (x.shape[4], k.shape[4])
        var y = RefArray(shape: [x.shape[0], a[0].output, a[1].output, a[2].output, filters],
                         values: [Float](repeating: 0, count: x.shape[0] * a[0].output * a[1].output * a[2].output * filters))
        for b in 0..<x.shape[0] {
            for oz in 0..<a[0].output { for oy in 0..<a[1].output { for ox in 0..<a[2].output { for f in 0..<filters {
                var total: Double = 0
                for kz in 0..<k.shape[0] { for ky in 0..<k.shape[1] { for kx in 0..<k.shape[2] {
                    let iz = oz * c.strides[0] - a[0].before + kz * c.dilation[0]
                    let iy = oy * c.strides[1] - a[1].before + ky * c.dilation[1]
                    let ix = ox * c.strides[2] - a[2].before + kx * c.dilation[2]
                    guard iz >= 0, iz < x.shape[1], iy >= 0, iy < x.shape[2], ix >= 0, ix < x.shape[3] else { continue }
                    for ch in 0..<channels {
                        total += Double(x[[b, iz, iy, ix, ch]]) * Double(k[[kz, ky, kx, ch, f]])
                    }
                }}}
                y[[b, oz, oy, ox, f]] = Float(total)
            }}}}
        }
        return y
    }

    func testConv3dMatchesNaiveReference() {
        let cases = [
            Case(input: [2, 3, 4, 3, 2], kernel: [2, 2, 2, 2, 3]),
            Case(input: [2, 3, 4, 3, 2], kernel: [3, 3, 3, 2, 3], strides: [2, 2, 2], same: true),
            Case(input: [1, 5, 4, 6, 3], kernel: [2, 3, 2, 3, 4], strides: [1, 2, 3], same: true),
            Case(input: [1, 6, 5, 5, 1], kernel: [2, 2, 3, 1, 2], dilation: [2, 1, 2]),
            Case(input: [1, 4, 4, 4, 2], kernel: [3, 2, 2, 2, 2], dilation: [2, 2, 1], same: true),
            Case(input: [2, 2, 3, 3, 20], kernel: [1, 1, 1, 20, 5]),
            Case(input: [1, 3, 3, 3, 17], kernel: [2, 2, 2, 17, 1], strides: [2, 1, 2], same: true),
        ]
        for c in cases {
            let (x, k) = operands(c)
            let y = x.conv3d(k, strides: c.strides, padding: c.same ? .same : .valid, dilation: c.dilation)
            assertClose(y, referenceConv3d(RefArray(x), RefArray(k), c), absolute: 1e-5, relative: 1e-5, c.text)
        }
    }

    /// The transposed convolution is the adjoint of the convolution it transposes:
    /// ⟨conv3d(x, K), y⟩ = ⟨x, conv3dTranspose(y, K)⟩, with the output padding that brings the
    /// sizes back to x's. The two run different kernels (im2col + GEMM, GEMM + col2im).
    func testConv3dTransposeIsTheAdjointOfConv3d() {
        let cases = [
            Case(input: [2, 4, 4, 4, 2], kernel: [2, 2, 2, 2, 3], strides: [2, 2, 2]),
            Case(input: [1, 6, 5, 4, 2], kernel: [3, 3, 3, 2, 2], strides: [2, 1, 2], same: true),
            Case(input: [1, 5, 5, 5, 1], kernel: [2, 3, 2, 1, 2], dilation: [2, 1, 2], same: true),
            Case(input: [1, 5, 6, 7, 3], kernel: [3, 2, 1, 3, 2], strides: [1, 2, 3]),
        ]
        for c in cases {
            let (x, k) = operands(c)
            let padding: Padding = c.same ? .same : .valid
            let y = x.conv3d(k, strides: c.strides, padding: padding, dilation: c.dilation)
            var random = TestRandom(name: "cotangent " + c.text)
            let r = Tensor.testUniform(y.shape, &random)
            // The transposed kernel (kd, kh, kw, its filters, its inputs) is the convolution's own
            // (…, x channels, y channels); the output padding makes the sizes come back to x's.
            let outputPadding = (0..<3).map {
                c.input[1 + $0] - lengthWithoutOutputPadding(y.shape[1 + $0], k.shape[$0], c.strides[$0], c.dilation[$0], padding)
            }
            guard zip(outputPadding, c.strides).allSatisfy({ $0 >= 0 && $0 < $1 }) else {
                XCTFail("no output padding brings \(c.text) back to its input size: \(outputPadding)")
                continue
            }
            let back = r.conv3dTranspose(k, strides: c.strides, padding: padding, dilation: c.dilation, outputPadding: outputPadding)
            XCTAssertEqual(back.shape, x.shape, c.text)
            guard back.shape == x.shape else { continue }
            let lhs = zip(y.scalars, r.scalars).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
            let rhs = zip(x.scalars, back.scalars).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
            XCTAssertEqual(lhs, rhs, accuracy: 1e-4 * Swift.max(1, Swift.abs(lhs)), c.text)
        }
    }

    /// The transposed output length with an output padding of 0, by Keras's formula.
    private func lengthWithoutOutputPadding(_ n: Int, _ k: Int, _ s: Int, _ d: Int, _ padding: Padding) -> Int {
        let span = d * (k - 1) + 1
        return padding == .same ? (n - 1) * s + span % 2 : (n - 1) * s + span
    }

    func testConv3dTransposeOutputSizesAreKeras() {
        // Default output padding: valid gives (n − 1)·s + max(span, s), same gives n·s.
        let x = Tensor.zeros([1, 3, 2, 4, 1])
        let k = Tensor.zeros([3, 2, 1, 2, 1])
        XCTAssertEqual(x.conv3dTranspose(k, strides: [2, 3, 1]).shape, [1, 7, 6, 4, 2])
        XCTAssertEqual(x.conv3dTranspose(k, strides: [2, 3, 1], padding: .same).shape, [1, 6, 6, 4, 2])
        XCTAssertEqual(x.conv3dTranspose(k, strides: [2, 3, 1], dilation: [2, 1, 1]).shape, [1, 9, 6, 4, 2])
        XCTAssertEqual(x.conv3dTranspose(k, strides: [2, 3, 2], outputPadding: [1, 2, 0]).shape, [1, 8, 7, 7, 2])
    }

    private func referencePool(_ x: RefArray, window: [Int], _ c: Case, max: Bool) -> RefArray {
        let a = axes(c, window: window)
        let channels = x.shape[4]
        var y = RefArray(shape: [x.shape[0], a[0].output, a[1].output, a[2].output, channels],
                         values: [Float](repeating: 0, count: x.shape[0] * a[0].output * a[1].output * a[2].output * channels))
        for b in 0..<x.shape[0] {
            for oz in 0..<a[0].output { for oy in 0..<a[1].output { for ox in 0..<a[2].output { for ch in 0..<channels {
                var best = -Float.infinity, total: Double = 0, covered = 0
                for kz in 0..<window[0] { for ky in 0..<window[1] { for kx in 0..<window[2] {
                    let iz = oz * c.strides[0] - a[0].before + kz
                    let iy = oy * c.strides[1] - a[1].before + ky
                    let ix = ox * c.strides[2] - a[2].before + kx
                    guard iz >= 0, iz < x.shape[1], iy >= 0, iy < x.shape[2], ix >= 0, ix < x.shape[3] else { continue }
                    let v = x[[b, iz, iy, ix, ch]]
                    best = Swift.max(best, v)
                    total += Double(v)
                    covered += 1
                }}}
                y[[b, oz, oy, ox, ch]] = max ? best : Float(total / Double(covered))
            }}}}
        }
        return y
    }

    func testPool3dMatchesNaiveReference() {
        let cases = [
            (Case(input: [2, 4, 4, 4, 2], kernel: [2, 2, 2], strides: [2, 2, 2]), [2, 2, 2]),
            (Case(input: [1, 5, 4, 6, 3], kernel: [3, 2, 3], strides: [2, 1, 2], same: true), [3, 2, 3]),
            (Case(input: [1, 3, 5, 4, 1], kernel: [2, 3, 2], strides: [1, 2, 1]), [2, 3, 2]),
            (Case(input: [2, 3, 3, 3, 2], kernel: [3, 3, 3], strides: [1, 1, 1], same: true), [3, 3, 3]),
        ]
        for (c, window) in cases {
            let (x, _) = operands(c)
            let padding: Padding = c.same ? .same : .valid
            assertClose(x.maxPool3d(poolSize: window, strides: c.strides, padding: padding),
                        referencePool(RefArray(x), window: window, c, max: true), absolute: 0, relative: 0, "max " + c.text)
            assertClose(x.avgPool3d(poolSize: window, strides: c.strides, padding: padding),
                        referencePool(RefArray(x), window: window, c, max: false), absolute: 1e-6, relative: 1e-5,
                        "average " + c.text)
        }
    }

    /// A depthwise convolution is a grouped convolution with one group per input channel: each
    /// channel convolved (by the reference-checked conv2d) with its own multiplier filters.
    func testDepthwiseConv2dIsAConvolutionPerChannel() {
        let cases: [(input: [Int], kernel: [Int], strides: (Int, Int), dilation: (Int, Int), same: Bool)] = [
            ([2, 5, 5, 2], [3, 3, 2, 1], (1, 1), (1, 1), false),
            ([2, 5, 5, 2], [3, 3, 2, 2], (2, 2), (1, 1), true),
            ([1, 7, 6, 3], [2, 3, 3, 4], (1, 2), (2, 1), true),
            ([1, 8, 8, 16], [3, 3, 16, 1], (2, 2), (1, 1), true),
            ([2, 6, 7, 5], [2, 2, 5, 3], (1, 1), (2, 3), false),
        ]
        for c in cases {
            let text = "\(c)"
            var random = TestRandom(name: text)
            let x = Tensor.testUniform(c.input, &random), k = Tensor.testUniform(c.kernel, &random)
            let padding: Padding = c.same ? .same : .valid
            let y = x.depthwiseConv2d(k, strides: c.strides, padding: padding, dilation: c.dilation)
            let channels = c.input[3]
            let perChannel = zip(x.split(count: channels, axis: 3), k.split(count: channels, axis: 2)).map { xi, ki in
                xi.conv2d(ki, strides: c.strides, padding: padding, dilation: c.dilation)
            }
            assertClose(y, RefArray(Tensor.concatenate(perChannel, axis: 3)), absolute: 1e-5, relative: 1e-5, text)
        }
    }
}
