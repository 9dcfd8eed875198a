import XCTest
@testable import KeelTensor

/// Reshape, transpose, expand/squeeze and dtype casts.
final class ShapeOpsTests: XCTestCase {
    private func permutations(_ n: Int) -> [[Int]] {
        if n == 0 { return [[]] }
        return permutations(n - 1).flatMap { p in (0...p.count).map { i in var q = p; q.insert(n - 1, at: i); return q } }
    }

    func testEveryTransposeOfRankThreeAndFourMatchesIndexMapping() {
        for shape in [[2, 3, 4], [2, 3, 1, 4], [3, 2, 2, 5]] {
            let x = Tensor.iota(shape)
            let all = permutations(shape.count)
            XCTAssertEqual(all.count, shape.count == 3 ? 6 : 24)
            for permutation in all {
                assertClose(x.transposed(permutation), Ref.transpose(RefArray(x), permutation),
                            "\(shape) permuted by \(permutation)")
            }
        }
    }

    func testTransposedWithoutArgumentsSwapsTheLastTwoAxes() {
        let x = Tensor.iota([2, 3, 4])
        assertClose(x.transposed(), Ref.transpose(RefArray(x), [0, 2, 1]))
        XCTAssertEqual(Tensor.iota([2, 3]).transposed().scalars, [0, 3, 1, 4, 2, 5])
    }

    func testTransposeMovesInt32Values() {
        let x = Tensor(shape: [2, 3], int32s: [1, 2, 3, 4, 5, 6])
        let t = x.transposed([1, 0])
        XCTAssertEqual(t.dtype, .int32)
        XCTAssertEqual(t.int32Scalars, [1, 4, 2, 5, 3, 6])
    }

    /// Large enough to be split across cores.
    func testParallelTransposeMatchesIndexMapping() {
        let rows = 400, columns = 401
        XCTAssertGreaterThan(rows * columns, Parallel.elementwiseThreshold)
        let x = Tensor.iota([rows, columns])
        let t = x.transposed().scalars
        for j in 0..<columns {
            for i in 0..<rows where t[j * rows + i] != Float(i * columns + j) {
                XCTFail("element (\(j), \(i)) of the transpose is \(t[j * rows + i])")
                return
            }
        }
    }

    func testReshapeKeepsRowMajorOrderAndInfersOneDimension() {
        let x = Tensor.iota([2, 3, 4])
        let r = x.reshaped([4, -1])
        XCTAssertEqual(r.shape, [4, 6])
        XCTAssertEqual(r.scalars, x.scalars)
        XCTAssertEqual(x.reshaped([-1]).shape, [24])
        XCTAssertEqual(x.flattened().shape, [24])
        XCTAssertEqual(Tensor.zeros([0, 3]).reshaped([-1, 3]).shape, [0, 3])
        XCTAssertNotEqual(r.id, x.id, "a reshape is a new tensor for the tape")
    }

    func testExpandingAndSqueezingDimensions() {
        let x = Tensor.iota([2, 3])
        XCTAssertEqual(x.expandingDims(at: 0).shape, [1, 2, 3])
        XCTAssertEqual(x.expandingDims(at: 1).shape, [2, 1, 3])
        XCTAssertEqual(x.expandingDims(at: -1).shape, [2, 3, 1])
        XCTAssertEqual(x.expandingDims(at: 2).shape, [2, 3, 1])
        XCTAssertEqual(x.expandingDims(at: -3).shape, [1, 2, 3])
        let y = Tensor.iota([1, 2, 1, 3, 1])
        XCTAssertEqual(y.squeezed().shape, [2, 3])
        XCTAssertEqual(y.squeezed(axes: [2]).shape, [1, 2, 3, 1])
        XCTAssertEqual(y.squeezed(axes: [0, -1]).shape, [2, 1, 3])
        XCTAssertEqual(y.squeezed().scalars, y.scalars)
    }

    /// Float to int32 truncates toward zero (TensorFlow's cast), int32 to float is exact.
    func testCastBetweenFloatAndInt32() {
        let x = Tensor(shape: [8], scalars: [-2.7, -2.5, -0.5, -0, 0.5, 1.999, 2.5, 3])
        let i = x.cast(to: .int32)
        XCTAssertEqual(i.dtype, .int32)
        XCTAssertEqual(i.int32Scalars, [-2, -2, 0, 0, 0, 1, 2, 3])
        let back = Tensor(shape: [4], int32s: [-7, 0, 16_777_216, 5]).cast(to: .float32)
        XCTAssertEqual(back.dtype, .float32)
        XCTAssertEqual(back.scalars, [-7, 0, 16_777_216, 5])
        XCTAssertEqual(x.cast(to: .float32).scalars, x.scalars)
    }

    func testTensorInitializersAndScalars() {
        XCTAssertEqual(Tensor(2.5).shape, [])
        XCTAssertEqual(Tensor(2.5).scalar, 2.5)
        let literal: Tensor = 3
        XCTAssertEqual(literal.scalar, 3)
        XCTAssertEqual(Tensor(repeating: 7, shape: [2, 2]).scalars, [7, 7, 7, 7])
        XCTAssertEqual(Tensor(repeatingInt32: 4, shape: [3]).int32Scalars, [4, 4, 4])
        XCTAssertEqual(Tensor.ones([2]).scalars, [1, 1])
        let original = Tensor.iota([3])
        let copy = original.copied()
        XCTAssertEqual(copy.scalars, original.scalars)
        XCTAssertNotEqual(copy.storage.pointer, original.storage.pointer)
        XCTAssertNotEqual(copy.id, original.id)
    }
}
