import Foundation
import XCTest
@testable import KeelTensor

/// Softmax and log-softmax against the definition computed in Double, on every axis.
final class SoftmaxTests: XCTestCase {
    /// exp(x − max) / Σ exp(x − max) along `axis`, per lane, in Double.
    private func referenceSoftmax(_ x: RefArray, axis: Int, log: Bool) -> RefArray {
        var out = x
        var laneShape = x.shape
        laneShape[axis] = 1
        for start in Ref.indices(laneShape) {
            let lane = (0..<x.shape[axis]).map { j -> [Int] in var index = start; index[axis] = j; return index }
            let m = lane.map { Double(x[$0]) }.max()!
            let total = lane.reduce(0.0) { $0 + Foundation.exp(Double(x[$1]) - m) }
            for index in lane {
                let shifted = Double(x[index]) - m
                out[index] = Float(log ? shifted - Foundation.log(total) : Foundation.exp(shifted) / total)
            }
        }
        return out
    }

    func testSoftmaxAndLogSoftmaxMatchTheDefinitionOnEveryAxis() {
        var random = TestRandom(seed: 21)
        let x = Tensor.testUniform([2, 3, 4], &random, -3, 3)
        for axis in 0..<3 {
            for negative in [false, true] {
                let a = negative ? axis - 3 : axis
                assertClose(x.softmax(axis: a), referenceSoftmax(RefArray(x), axis: axis, log: false),
                            absolute: 1e-6, relative: 1e-5, "softmax axis \(a)")
                assertClose(x.logSoftmax(axis: a), referenceSoftmax(RefArray(x), axis: axis, log: true),
                            absolute: 1e-5, relative: 1e-5, "logSoftmax axis \(a)")
            }
        }
    }

    func testSoftmaxRowsSumToOne() {
        var random = TestRandom(seed: 22)
        let x = Tensor.testUniform([5, 7], &random, -10, 10)
        assertClose(x.softmax().sum(axes: [1]).scalars, [Float](repeating: 1, count: 5), absolute: 1e-6)
        assertClose(x.softmax(axis: 0).sum(axes: [0]).scalars, [Float](repeating: 1, count: 7), absolute: 1e-6)
    }

    func testSoftmaxIsStableForLargeInputs() {
        let x = Tensor(shape: [2, 2], scalars: [1000, 1001, -1000, -1001])
        let expectedLow = Float(1 / (1 + Foundation.exp(1.0)))
        assertClose(x.softmax().scalars, [expectedLow, 1 - expectedLow, 1 - expectedLow, expectedLow], absolute: 1e-6)
    }

    /// log-softmax of large logits keeps full precision: the answer is O(1), so it must not be
    /// rounded at the logits' magnitude (TensorFlow computes (x − max) − log Σ exp(x − max)).
    func testLogSoftmaxIsStableAndPreciseForLargeInputs() {
        let x = Tensor(shape: [2, 2], scalars: [1000, 1001, -1000, -1001])
        let lse = Float(Foundation.log(1 + Foundation.exp(-1.0)))  // log Σ exp(x − max)
        assertClose(x.logSoftmax().scalars, [-1 - lse, -lse, -lse, -1 - lse], absolute: 2e-6)
    }

    /// Masked positions (−∞ logits, as attention masks use) get probability 0.
    func testNegativeInfinityLogitsGetZeroProbability() {
        let x = Tensor(shape: [3], scalars: [0, -.infinity, 0])
        XCTAssertEqual(x.softmax().scalars, [0.5, 0, 0.5])
        XCTAssertEqual(x.logSoftmax().scalars[1], -.infinity)
    }

    /// Many short strided lanes: enough of them to be split across cores.
    func testParallelSoftmaxOverTheFirstAxis() {
        var random = TestRandom(seed: 23)
        let columns = 70_000
        let x = Tensor.testUniform([2, columns], &random, -2, 2)
        let y = x.softmax(axis: 0).scalars
        let v = x.scalars
        for j in stride(from: 0, to: columns, by: 997) {
            let expected = 1 / (1 + Foundation.exp(Double(v[columns + j]) - Double(v[j])))
            XCTAssertEqual(Double(y[j]), expected, accuracy: 1e-6, "column \(j)")
            XCTAssertEqual(Double(y[j] + y[columns + j]), 1, accuracy: 1e-6)
        }
    }
}
