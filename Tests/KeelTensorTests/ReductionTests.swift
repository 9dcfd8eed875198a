import Foundation
import XCTest
@testable import KeelTensor

/// Reductions on every axis subset of a [2,3,4] tensor, with and without keepDims, against
/// `Ref.reduce` with folds computed in Double.
final class ReductionTests: XCTestCase {
    private let shape = [2, 3, 4]

    private func values(_ name: String) -> Tensor {
        var random = TestRandom(name: name)
        return Tensor.testUniform(shape, &random, 0.5, 1.5)  // positive keeps products well scaled
    }

    private static func sum(_ v: [Float]) -> Float { Float(v.reduce(0.0) { $0 + Double($1) }) }
    private static func mean(_ v: [Float]) -> Float { sum(v) / Float(v.count) }
    private static func variance(_ v: [Float]) -> Float {
        let m = v.reduce(0.0) { $0 + Double($1) } / Double(v.count)
        return Float(v.reduce(0.0) { $0 + (Double($1) - m) * (Double($1) - m) } / Double(v.count))
    }
    private static func logSumExp(_ v: [Float]) -> Float {
        Float(Foundation.log(v.reduce(0.0) { $0 + Foundation.exp(Double($1)) }))
    }

    /// `op(x, axes, keepDims)` for every subset of axes (nil too) and both keepDims.
    private func checkAllAxisSubsets(_ name: String, _ op: (Tensor, [Int]?, Bool) -> Tensor,
                                     _ fold: @escaping ([Float]) -> Float) {
        let x = values(name)
        for keepDims in [false, true] {
            assertClose(op(x, nil, keepDims), Ref.reduce(RefArray(x), axes: [0, 1, 2], keepDims: keepDims, fold),
                        absolute: 1e-5, relative: 1e-5, "\(name) axes nil keepDims \(keepDims)")
            for axes in allAxisSubsets(rank: shape.count) {
                assertClose(op(x, axes, keepDims), Ref.reduce(RefArray(x), axes: axes, keepDims: keepDims, fold),
                            absolute: 1e-5, relative: 1e-5, "\(name) axes \(axes) keepDims \(keepDims)")
            }
        }
    }

    func testSumOverEveryAxisSubset() { checkAllAxisSubsets("sum", { $0.sum(axes: $1, keepDims: $2) }, Self.sum) }
    func testMeanOverEveryAxisSubset() { checkAllAxisSubsets("mean", { $0.mean(axes: $1, keepDims: $2) }, Self.mean) }
    func testMaxOverEveryAxisSubset() { checkAllAxisSubsets("max", { $0.max(axes: $1, keepDims: $2) }) { $0.max()! } }
    func testMinOverEveryAxisSubset() { checkAllAxisSubsets("min", { $0.min(axes: $1, keepDims: $2) }) { $0.min()! } }

    func testProductOverEveryAxisSubset() {
        checkAllAxisSubsets("product", { $0.product(axes: $1, keepDims: $2) }) {
            Float($0.reduce(1.0) { $0 * Double($1) })
        }
    }

    func testVarianceOverEveryAxisSubset() {
        checkAllAxisSubsets("variance", { $0.variance(axes: $1, keepDims: $2) }, Self.variance)
    }

    func testLogSumExpOverEveryAxisSubset() {
        checkAllAxisSubsets("logSumExp", { $0.logSumExp(axes: $1, keepDims: $2) }, Self.logSumExp)
    }

    func testNegativeAxesAndSingleAxisFormsAgree() {
        let x = values("negative axes")
        XCTAssertEqual(x.sum(axes: [-1, 0]).scalars, x.sum(axes: [0, 2]).scalars)
        XCTAssertEqual(x.sum(axis: -2, keepDims: true).scalars, x.sum(axes: [1], keepDims: true).scalars)
        XCTAssertEqual(x.mean(axis: 2).scalars, x.mean(axes: [2]).scalars)
        XCTAssertEqual(x.max(axis: -3).scalars, x.max(axes: [0]).scalars)
        XCTAssertEqual(x.min(axis: 1, keepDims: true).shape, [2, 1, 4])
    }

    func testArgmaxAndArgminOnEveryAxisTakeTheFirstOfTies() {
        // Small integers, so ties are frequent.
        var random = TestRandom(seed: 5)
        let x = Tensor(shape: shape, scalars: (0..<24).map { _ in Float(random.int(below: 3)) })
        let ops: [((Tensor, Int) -> Tensor, Bool)] = [({ $0.argmax(axis: $1) }, true), ({ $0.argmin(axis: $1) }, false)]
        for axis in 0..<3 {
            for (op, greater) in ops {
                let result = op(x, axis)
                XCTAssertEqual(result.dtype, .int32)
                assertClose(result, Ref.argExtremum(RefArray(x), axis: axis, greater: greater),
                            "arg\(greater ? "max" : "min") axis \(axis)")
                XCTAssertEqual(op(x, axis - 3).int32Scalars, result.int32Scalars, "negative axis \(axis - 3)")
            }
        }
        XCTAssertEqual(Tensor(shape: [4], scalars: [1, 3, 3, 0]).argmax().int32Scalars, [1])
    }

    /// Long rows take the vectorised path (32 at a time plus a tail).
    func testLongContiguousSumMatchesDoubleSum() {
        var random = TestRandom(seed: 6)
        let x = Tensor.testUniform([3, 101], &random)
        let expected = (0..<3).map { row in Self.sum(Array(x.scalars[(row * 101)..<((row + 1) * 101)])) }
        assertClose(x.sum(axes: [1]).scalars, expected, absolute: 1e-5, relative: 1e-5)
    }

    /// Large enough to be split across cores, with a split point inside a row of the inner axis.
    func testParallelReductionsMatchSerialFormula() {
        let inner = 50_001
        var random = TestRandom(seed: 7)
        let x = Tensor.testUniform([3, 2, inner], &random)
        let v = x.scalars
        let summed = x.sum(axes: [1]).scalars
        let maxima = x.max(axes: [1]).scalars
        for o in 0..<3 {
            for i in 0..<inner {
                let a = v[(o * 2) * inner + i], b = v[(o * 2 + 1) * inner + i]
                if summed[o * inner + i] != a + b || maxima[o * inner + i] != Swift.max(a, b) {
                    XCTFail("outer \(o) inner \(i) differs")
                    return
                }
            }
        }
        let rows = Tensor.testUniform([4096, 64], &random)
        let rowSums = rows.sum(axes: [1]).scalars
        let rv = rows.scalars
        for r in [0, 1, 2047, 2048, 4095] {
            XCTAssertEqual(rowSums[r], Self.sum(Array(rv[(r * 64)..<((r + 1) * 64)])), accuracy: 1e-4, "row \(r)")
        }
    }

    func testMaxAndMinPropagateNaN() {
        let x = Tensor(shape: [2, 3], scalars: [1, .nan, 3, 4, 5, 6])
        XCTAssertTrue(x.max().scalar.isNaN)
        XCTAssertTrue(x.min(axes: [1]).scalars[0].isNaN)
        XCTAssertEqual(x.min(axes: [1]).scalars[1], 4)
        XCTAssertTrue(x.max(axes: [0]).scalars[1].isNaN)
    }

    func testLogSumExpIsStableForLargeAndSmallInputs() {
        let large = Tensor(shape: [2], scalars: [1000, 1001]).logSumExp()
        XCTAssertEqual(large.scalar, 1001 + Float(Foundation.log(1 + Foundation.exp(-1.0))), accuracy: 1e-3)
        let small = Tensor(shape: [2], scalars: [-1000, -1001]).logSumExp()
        XCTAssertEqual(small.scalar, -1000 + Float(Foundation.log(1 + Foundation.exp(-1.0))), accuracy: 1e-3)
        let masked = Tensor(shape: [3], scalars: [-.infinity, 0, -.infinity]).logSumExp()
        XCTAssertEqual(masked.scalar, 0, "exp(-inf) contributes nothing")
    }

    func testEmptyAxisListIsACopyAndEmptyReductionIsTheIdentity() {
        let x = values("empty axes")
        XCTAssertEqual(x.sum(axes: []).scalars, x.scalars)
        XCTAssertEqual(x.mean(axes: []).scalars, x.scalars)
        XCTAssertEqual(Tensor.zeros([0, 3]).sum(axes: [0]).scalars, [0, 0, 0])
    }
}
