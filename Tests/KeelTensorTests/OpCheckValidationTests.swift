import XCTest
@testable import KeelTensor

/// The validating functions behind the op checks (a failed check ends the process, so the checks
/// themselves are tested through `keel run` in KeelCLITests/OpCheckTests), and the edge shapes the
/// audit made work instead of reading or writing past a buffer.
final class OpCheckValidationTests: XCTestCase {
    private let big = 1 << 40

    func testTheErrorIsExactlyOneLine() {
        XCTAssertEqual(OpCheck.errorLine("add: shapes [2] and [3]"), "Error: add: shapes [2] and [3]\n")
        XCTAssertEqual(OpCheck.errorLine("first\nsecond\r\nthird"), "Error: first second third\n")
    }

    func testShapesWithNegativeDimensionsOrOverflowingProductsAreRefused() {
        XCTAssertNil(ShapeMath.problem(with: []))
        XCTAssertNil(ShapeMath.problem(with: [0, 3]))
        XCTAssertNil(ShapeMath.problem(with: [1 << 20, 1 << 25]))
        XCTAssertNotNil(ShapeMath.problem(with: [2, -1]))
        XCTAssertNotNil(ShapeMath.problem(with: [big, big]), "2^80 elements")
        XCTAssertNotNil(ShapeMath.problem(with: [1 << 32, 1 << 32, 4]), "wraps to 0 in unchecked arithmetic")
        // Zero elements, but the block sizes ops compute from the other axes would overflow.
        XCTAssertNotNil(ShapeMath.problem(with: [0, big, big]))
        XCTAssertNotNil(ShapeMath.problem(with: [big, big, 0]))
    }

    func testReshapeTargetsAreResolvedOrRefusedWithoutOverflow() {
        func target(_ count: Int, _ shape: [Int]) -> [Int]? { try? ShapeMath.reshapeTarget(count: count, to: shape).get() }
        XCTAssertEqual(target(24, [4, -1]), [4, 6])
        XCTAssertEqual(target(0, [-1, 3]), [0, 3])
        XCTAssertEqual(target(0, [0, 7]), [0, 7])
        XCTAssertNil(target(12, [5, 5]))
        XCTAssertNil(target(12, [-1, -1]))
        XCTAssertNil(target(12, [-2, -6]), "two negatives whose product matches")
        XCTAssertNil(target(12, [5, -1]))
        XCTAssertNil(target(0, [-1, 0]), "a -1 next to a 0 cannot be inferred")
        XCTAssertNil(target(0, [1 << 32, 1 << 32]), "2^64 wraps to 0 elements")
        XCTAssertNil(target(12, [-1, big, big]), "the known product overflows")
    }

    func testAxesOutOfRangeOrRepeatedAreNamed() {
        XCTAssertNil(ShapeMath.axesProblem([0, -1], rank: 3))
        XCTAssertEqual(ShapeMath.axesProblem([3], rank: 3), "axis 3 is out of range for a tensor of rank 3")
        XCTAssertEqual(ShapeMath.axesProblem([-4], rank: 3), "axis -4 is out of range for a tensor of rank 3")
        XCTAssertEqual(ShapeMath.axesProblem([1, -2], rank: 3), "axis -2 is repeated in [1, -2]")
        XCTAssertNotNil(ShapeMath.axesProblem([0], rank: 0), "a scalar has no axes")
    }

    func testSliceExtentsStayInsideTheShape() {
        func extent(_ begin: [Int], _ size: [Int]) -> [Int]? { try? Tensor.sliceExtent(shape: [4, 5], begin: begin, size: size).get() }
        XCTAssertEqual(extent([1, 2], [2, -1]), [2, 3])
        XCTAssertEqual(extent([4, 5], [0, -1]), [0, 0])
        XCTAssertNil(extent([1], [2]))
        XCTAssertNil(extent([5, 0], [-1, 1]), "begin past the end")
        XCTAssertNil(extent([-1, 0], [1, 1]))
        XCTAssertNil(extent([1, 0], [4, 1]))
        XCTAssertNil(extent([1, 0], [-2, 1]))
        XCTAssertNil(extent([Int.max, 0], [1, 1]), "begin + size overflows")
        XCTAssertNil(extent([1, 0], [Int.max, 1]))
    }

    func testPaddedShapesRefuseNegativeOrOverflowingPads() {
        XCTAssertEqual(try Tensor.paddedShape([2, 3], [(1, 0), (2, 2)]).get(), [3, 7])
        XCTAssertThrowsError(try Tensor.paddedShape([2, 3], [(1, 0)]).get())
        XCTAssertThrowsError(try Tensor.paddedShape([2, 3], [(0, -1), (0, 0)]).get())
        XCTAssertThrowsError(try Tensor.paddedShape([2, 3], [(Int.max, 1), (0, 0)]).get())
        XCTAssertThrowsError(try Tensor.paddedShape([2, 3], [(big, 0), (big, 0)]).get())
    }

    func testConvolutionAxesRefuseSizesTheFormulasCannotHold() {
        XCTAssertNil(ConvArithmetic.axisProblem(length: 28, kernel: 3, stride: 2, dilation: 1))
        XCTAssertNil(ConvArithmetic.axisProblem(length: 0, kernel: 3, stride: 1, dilation: 1))
        XCTAssertNotNil(ConvArithmetic.axisProblem(length: 28, kernel: 0, stride: 1, dilation: 1))
        XCTAssertNotNil(ConvArithmetic.axisProblem(length: 28, kernel: 3, stride: 0, dilation: 1))
        XCTAssertNotNil(ConvArithmetic.axisProblem(length: 28, kernel: 3, stride: Int.max, dilation: 1))
        XCTAssertNotNil(ConvArithmetic.axisProblem(length: 28, kernel: 3, stride: 1, dilation: -2))
        XCTAssertNotNil(ConvArithmetic.axisProblem(length: 28, kernel: 1 << 30, stride: 1, dilation: 1 << 30),
                        "the dilated kernel overflows")
        // Transposed: (n − 1)·s must fit, an input must not be empty, output padding < stride.
        XCTAssertNil(ConvArithmetic.axisProblem(length: 5, kernel: 3, stride: 2, dilation: 1, transposedWithOutputPadding: .some(1)))
        XCTAssertNil(ConvArithmetic.axisProblem(length: 5, kernel: 3, stride: 2, dilation: 1, transposedWithOutputPadding: .some(nil)))
        XCTAssertNotNil(ConvArithmetic.axisProblem(length: 5, kernel: 3, stride: 2, dilation: 1, transposedWithOutputPadding: .some(2)))
        XCTAssertNotNil(ConvArithmetic.axisProblem(length: 5, kernel: 3, stride: 2, dilation: 1, transposedWithOutputPadding: .some(-1)))
        XCTAssertNotNil(ConvArithmetic.axisProblem(length: 0, kernel: 3, stride: 2, dilation: 1, transposedWithOutputPadding: .some(nil)))
        XCTAssertNotNil(ConvArithmetic.axisProblem(length: 1 << 30, kernel: 3, stride: 1 << 30, dilation: 1,
                                                   transposedWithOutputPadding: .some(nil)))
    }

    func testConvolutionWorkspaceThatWouldOverflowIsRefused() {
        var g = ConvGeometry(batch: 1, height: 8, width: 8, inChannels: 3, kernelHeight: 3, kernelWidth: 3, outChannels: 4,
                             strideY: 1, strideX: 1, dilationY: 1, dilationX: 1, padTop: 0, padLeft: 0, outHeight: 6, outWidth: 6)
        XCTAssertNil(g.workspaceProblem)
        g.outHeight = 1 << 20; g.outWidth = 1 << 20; g.kernelHeight = 1 << 12
        XCTAssertNotNil(g.workspaceProblem)
    }

    /// Same padding computed ⌈n/s⌉ as (n + s − 1)/s, which overflowed for a huge stride.
    func testSamePaddingWithAHugeStrideGivesOneOutputPixel() {
        let x = Tensor.iota([1, 5, 5, 1]), k = Tensor.ones([3, 3, 1, 1])
        let y = x.conv2d(k, strides: (1 << 44, 1 << 44), padding: .same)
        XCTAssertEqual(y.shape, [1, 1, 1, 1])
        XCTAssertEqual(x.maxPool2d(poolSize: (2, 2), strides: (1 << 44, 1 << 44), padding: .same).shape, [1, 1, 1, 1])
    }

    /// Zero batch, zero input channels and zero filters: the GEMMs would get leading dimensions
    /// of 0 (an OpenBLAS argument error); the results are empty or all zeros instead.
    func testConvolutionsWithEmptyBatchOrChannelsGiveZeros() {
        let cases: [(x: [Int], k: [Int])] = [([0, 5, 5, 2], [3, 3, 2, 4]), ([2, 5, 5, 0], [3, 3, 0, 4]), ([2, 5, 5, 2], [3, 3, 2, 0]),
                                             ([2, 5, 5, 0], [1, 1, 0, 4])]
        for c in cases {
            let x = Tensor.ones(c.x), k = Tensor.ones(c.k)
            let tape = GradientTape(persistent: true)
            tape.watch(x)
            tape.watch(k)
            let y = tape.record { x.conv2d(k, padding: .same) }
            XCTAssertEqual(y.shape, [c.x[0], 5, 5, c.k[3]], "\(c)")
            XCTAssertTrue(y.scalars.allSatisfy { $0 == 0 }, "\(c)")
            let loss = tape.record { y.sum() }
            let grads = tape.gradient(of: loss, wrt: [x, k])
            XCTAssertEqual(grads[0]?.shape, c.x, "\(c)")
            XCTAssertEqual(grads[1]?.shape, c.k, "\(c)")
            XCTAssertTrue(grads[1]?.scalars.allSatisfy { $0 == 0 } ?? false, "\(c)")
            let t = Tensor.ones([c.x[0], 3, 3, c.k[3]]).conv2dTranspose(k, strides: (2, 2))
            let side = (3 - 1) * 2 + Swift.max(c.k[0], 2)  // Keras's valid output length
            XCTAssertEqual(t.shape, [c.x[0], side, side, c.k[2]], "\(c) transposed")
            XCTAssertTrue(t.scalars.allSatisfy { $0 == 0 }, "\(c) transposed")
        }
    }

    /// A batch of rank-3 inputs times a matrix with an empty inner dimension: the -1 of the
    /// flattening reshape could not be inferred.
    func testBatchedMatmulWithAnEmptyInnerDimensionGivesZeros() {
        let y = Tensor.zeros([2, 3, 0]).matmul(Tensor.zeros([0, 4]))
        XCTAssertEqual(y.shape, [2, 3, 4])
        XCTAssertEqual(y.scalars, [Float](repeating: 0, count: 24))
    }

    func testUnstackingAnEmptyAxisGivesNoTensors() {
        XCTAssertEqual(Tensor.zeros([0, 3]).unstacked(axis: 0).count, 0)
        XCTAssertEqual(Tensor.zeros([2, 0]).unstacked(axis: 0).map(\.shape), [[0], [0]])
    }

    func testBroadcastingKeepsInt32Values() {
        let labels = Tensor(shape: [1, 3], int32s: [7, -2, 1 << 30])
        let b = labels.broadcasted(to: [2, 3])
        XCTAssertEqual(b.dtype, .int32)
        XCTAssertEqual(b.int32Scalars, [7, -2, 1 << 30, 7, -2, 1 << 30])
        XCTAssertEqual(labels.tiled([2, 1]).int32Scalars, b.int32Scalars)
    }

    /// `Int32(Float)` traps on NaN and out-of-range values; the accessor saturates like `cast`.
    func testInt32ScalarsOfAFloatTensorNeverTrap() {
        let x = Tensor(shape: [4], scalars: [.nan, .infinity, -1e20, 2.7])
        XCTAssertEqual(x.int32Scalars, x.cast(to: .int32).int32Scalars)
        XCTAssertEqual(x.int32Scalars[3], 2)
    }

    func testGatherStillCopiesValidRowsAfterItsSingleIndexPass() {
        let x = Tensor.iota([4, 2])
        XCTAssertEqual(x.gathering(Tensor(shape: [3], int32s: [3, 0, 3])).scalars, [6, 7, 0, 1, 6, 7])
        XCTAssertEqual(Tensor.zeros([0, 2]).gathering(Tensor(shape: [0], int32s: [])).shape, [0, 2])
    }

    func testABufferLargerThanTheLargestSizeClassIsRefusedNotIndexedPastTheFreeLists() {
        XCTAssertNil(BufferPool.shared.allocateIfPossible(byteCount: 1 << 50))
        XCTAssertNil(BufferPool.shared.allocateIfPossible(byteCount: -8))
        XCTAssertEqual(BufferPool.describe(bytes: 6_700_000_000_000), "6.1 TB")
        XCTAssertEqual(BufferPool.describe(bytes: 100), "100 bytes")
    }
}
