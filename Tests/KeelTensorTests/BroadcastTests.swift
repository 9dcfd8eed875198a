import Foundation
import XCTest
@testable import KeelTensor

/// Binary elementwise ops with NumPy broadcasting, against `Ref.broadcast`.
final class BroadcastTests: XCTestCase {
    private let shapePairs: [([Int], [Int])] = [
        ([2, 3, 4], [2, 3, 4]), ([2, 3, 4], [3, 1]), ([4], [2, 1, 4]), ([2, 3, 4], []), ([], [2, 3]),
        ([2, 3], [3]), ([1, 3], [2, 1]), ([2, 1, 4], [3, 1]), ([3, 1, 1], [1, 2, 1]), ([], []),
    ]

    private func operands(_ a: [Int], _ b: [Int], positiveB: Bool = false) -> (Tensor, Tensor) {
        var random = TestRandom(name: "broadcast \(a) \(b)")
        return (Tensor.testUniform(a, &random, -2, 2),
                positiveB ? Tensor.testUniform(b, &random, 0.5, 2) : Tensor.testUniform(b, &random, -2, 2))
    }

    private func check(_ name: String, positiveB: Bool = false, absolute: Float = 1e-6,
                       _ op: (Tensor, Tensor) -> Tensor, _ reference: (Float, Float) -> Float) {
        for (sa, sb) in shapePairs {
            let (a, b) = operands(sa, sb, positiveB: positiveB)
            assertClose(op(a, b), Ref.broadcast(RefArray(a), RefArray(b), reference), absolute: absolute,
                        "\(name) of \(sa) and \(sb)")
        }
    }

    func testArithmetic() {
        check("add", { $0 + $1 }, +)
        check("subtract", { $0 - $1 }, -)
        check("multiply", { $0 * $1 }, *)
        check("divide", positiveB: true, { $0 / $1 }, /)
    }

    func testMinimumMaximumAndPow() {
        check("minimum", { $0.minimum($1) }, { Swift.min($0, $1) })
        check("maximum", { $0.maximum($1) }, { Swift.max($0, $1) })
        check("pow", positiveB: true, absolute: 1e-5, { $1.pow($0) }, { Float(Foundation.pow(Double($1), Double($0))) })
    }

    func testComparisonsGiveFloatMasks() {
        let a = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        let b = Tensor(shape: [3], scalars: [1, 5, 3])
        XCTAssertEqual(a.equal(b).scalars, [1, 0, 1, 0, 1, 0])
        XCTAssertEqual(a.notEqual(b).scalars, [0, 1, 0, 1, 0, 1])
        XCTAssertEqual(a.less(b).scalars, [0, 1, 0, 0, 0, 0])
        XCTAssertEqual(a.lessEqual(b).scalars, [1, 1, 1, 0, 1, 0])
        XCTAssertEqual(a.greater(b).scalars, [0, 0, 0, 1, 0, 1])
        XCTAssertEqual(a.greaterEqual(b).scalars, [1, 0, 1, 1, 1, 1])
        XCTAssertEqual(a.greater(Tensor(3)).shape, [2, 3])
        let special = Tensor(shape: [4], scalars: [1, .nan, .infinity, -.infinity])
        XCTAssertEqual(special.isNaN.scalars, [0, 1, 0, 0])
        XCTAssertEqual(special.isFinite.scalars, [1, 0, 0, 0])
    }

    func testFloatOperandsActAsScalars() {
        let x = Tensor(shape: [3], scalars: [1, 2, 4])
        XCTAssertEqual((x + 1).scalars, [2, 3, 5])
        XCTAssertEqual((1 + x).scalars, [2, 3, 5])
        XCTAssertEqual((x - 1).scalars, [0, 1, 3])
        XCTAssertEqual((1 - x).scalars, [0, -1, -3])
        XCTAssertEqual((x * 2).scalars, [2, 4, 8])
        XCTAssertEqual((2 * x).scalars, [2, 4, 8])
        XCTAssertEqual((x / 2).scalars, [0.5, 1, 2])
        XCTAssertEqual((4 / x).scalars, [4, 2, 1])
        XCTAssertEqual((-x).scalars, [-1, -2, -4])
        var y = x
        y += x; y *= x; y -= x; y /= x
        XCTAssertEqual(y.scalars, [1, 3, 7], "((x + x)·x − x)/x")
    }

    func testWhereSelectsWithBroadcasting() {
        let condition = Tensor(shape: [2, 1], scalars: [1, 0])
        let a = Tensor(shape: [3], scalars: [1, 2, 3])
        let b = Tensor(shape: [2, 3], scalars: [10, 20, 30, 40, 50, 60])
        XCTAssertEqual(`where`(condition, a, b).scalars, [1, 2, 3, 40, 50, 60])
        let intCondition = Tensor(shape: [3], int32s: [0, 2, -1])
        XCTAssertEqual(`where`(intCondition, a, Tensor(0)).scalars, [0, 2, 3], "nonzero int32 is true")
    }

    func testBroadcastedToMatchesReference() {
        for (shape, target) in [([3], [2, 3]), ([2, 1], [2, 3]), ([1, 3, 1], [2, 3, 4]), ([], [2, 2]), ([2, 3], [2, 3])] {
            let x = Tensor.iota(shape, start: 1)
            let zeros = RefArray(shape: target, values: [Float](repeating: 0, count: target.reduce(1, *)))
            assertClose(x.broadcasted(to: target), Ref.broadcast(zeros, RefArray(x)) { $1 }, "\(shape) to \(target)")
        }
    }

    func testSummedToShapeReducesTheBroadcastAxes() {
        let x = Tensor.iota([2, 3, 4])
        assertClose(x.summed(toShape: [3, 1]),
                    Ref.reduce(RefArray(x), axes: [0, 2], keepDims: true) { $0.reduce(0, +) }.reshapedRef([3, 1]))
        assertClose(x.summed(toShape: [4]), Ref.reduce(RefArray(x), axes: [0, 1], keepDims: false) { $0.reduce(0, +) })
        assertClose(x.summed(toShape: [2, 3, 4]), RefArray(x))
    }

    /// Large enough to be split across cores; the split must not shift rows.
    func testParallelBroadcastMatchesSerialFormula() {
        let rows = 600, columns = 301
        XCTAssertGreaterThan(rows * columns, Parallel.elementwiseThreshold)
        var random = TestRandom(seed: 11)
        let a = Tensor.testUniform([rows, columns], &random)
        let bias = Tensor.testUniform([columns], &random)
        let column = Tensor.testUniform([rows, 1], &random)
        let av = a.scalars, bv = bias.scalars, cv = column.scalars
        let sum = (a + bias).scalars
        let product = (a * column).scalars
        let outer = (column - bias).scalars
        let squares = (a * a).scalars, rectified = a.relu().scalars, negated = (-a).scalars
        for i in 0..<rows {
            for j in 0..<columns {
                let k = i * columns + j
                if sum[k] != av[k] + bv[j] || product[k] != av[k] * cv[i] || outer[k] != cv[i] - bv[j]
                    || squares[k] != av[k] * av[k] || rectified[k] != Swift.max(av[k], 0) || negated[k] != -av[k] {
                    XCTFail("row \(i) column \(j) differs")
                    return
                }
            }
        }
    }
}

extension RefArray {
    func reshapedRef(_ shape: [Int]) -> RefArray { RefArray(shape: shape, values: values) }
}
