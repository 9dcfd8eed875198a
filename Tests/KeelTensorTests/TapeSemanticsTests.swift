import Foundation
import XCTest
@testable import KeelTensor

/// What GradientTape records and returns, as TensorFlow's tape does.
final class TapeSemanticsTests: XCTestCase {
    private let x = Tensor(shape: [3], scalars: [1, -2, 0.5])

    func testWatchedTensorGetsItsGradient() {
        let tape = GradientTape()
        let y = tape.record { () -> Tensor in
            tape.watch(x)
            return (x * x).sum()
        }
        XCTAssertEqual(tape.gradient(of: y, wrt: x)?.scalars, [2, -4, 1])
    }

    func testUnwatchedTensorIsNotRecorded() {
        let tape = GradientTape()
        let y = tape.record { (x * x).sum() }
        XCTAssertNil(tape.gradient(of: y, wrt: x), "x was never watched")
    }

    func testUnconnectedSourceGivesNil() {
        let other = Tensor(shape: [2], scalars: [3, 4])
        let tape = GradientTape()
        let y = tape.record { () -> Tensor in
            tape.watch(x)
            tape.watch(other)
            _ = other * 2
            return x.exp().sum()
        }
        let gradients = tape.gradient(of: y, wrt: [other, x])
        XCTAssertNil(gradients[0])
        XCTAssertNotNil(gradients[1])
    }

    func testGradientOfATargetWithRespectToItselfIsOnes() {
        let tape = GradientTape()
        tape.watch(x)
        XCTAssertEqual(tape.gradient(of: x, wrt: x)?.scalars, [1, 1, 1])
    }

    func testNonScalarTargetIsSummed() {
        let tape = GradientTape()
        let y = tape.record { () -> Tensor in
            tape.watch(x)
            return x * 3
        }
        XCTAssertEqual(tape.gradient(of: y, wrt: x)?.scalars, [3, 3, 3])
    }

    func testStopGradientBlocksTheGradient() {
        let tape = GradientTape()
        let y = tape.record { () -> Tensor in
            tape.watch(x)
            return (x * stopGradient(x)).sum()
        }
        XCTAssertEqual(tape.gradient(of: y, wrt: x)?.scalars, x.scalars, "d(x·c)/dx = c, not 2x")
        XCTAssertEqual(stopGradient(x).scalars, x.scalars)
    }

    func testGradientsAccumulateWhenATensorIsUsedSeveralTimes() {
        let tape = GradientTape()
        let y = tape.record { () -> Tensor in
            tape.watch(x)
            let a = x * x          // 2x
            let b = x.sin()        // cos x
            return (a + b + x + x).sum()  // + 2
        }
        let expected = x.scalars.map { 2 * $0 + Foundation.cos($0) + 2 }
        assertClose(tape.gradient(of: y, wrt: x)!.scalars, expected, absolute: 1e-6)
    }

    func testPersistentTapeAnswersSeveralGradientCalls() {
        let tape = GradientTape(persistent: true)
        let (y, z) = tape.record { () -> (Tensor, Tensor) in
            tape.watch(x)
            let y = (x * x).sum()
            return (y, (y * x).sum())
        }
        XCTAssertEqual(tape.gradient(of: y, wrt: x)?.scalars, [2, -4, 1])
        XCTAssertEqual(tape.gradient(of: y, wrt: x)?.scalars, [2, -4, 1], "asking twice gives the same answer")
        // z = (Σx²)(Σx): dz/dx = 2x·Σx + Σx².
        let sum: Float = x.scalars.reduce(0, +)
        let squares: Float = x.scalars.map { $0 * $0 }.reduce(0, +)
        assertClose(tape.gradient(of: z, wrt: x)!.scalars, x.scalars.map { 2 * $0 * sum + squares })
    }

    func testSeveralSourcesComeBackInOrder() {
        let a = Tensor(shape: [2], scalars: [1, 2]), b = Tensor(shape: [2], scalars: [3, 5])
        let tape = GradientTape()
        let y = tape.record { () -> Tensor in
            tape.watch(a)
            tape.watch(b)
            return (a * b * b).sum()
        }
        let gradients = tape.gradient(of: y, wrt: [b, a])
        XCTAssertEqual(gradients[0]?.scalars, [6, 20], "2ab")
        XCTAssertEqual(gradients[1]?.scalars, [9, 25], "b²")
    }

    /// An intermediate result can be a source too, and the walk still reaches the inputs.
    func testGradientWithRespectToAnIntermediate() {
        let tape = GradientTape()
        var hidden = Tensor(0)
        let y = tape.record { () -> Tensor in
            tape.watch(x)
            hidden = x * 2
            return (hidden * hidden).sum()
        }
        let gradients = tape.gradient(of: y, wrt: [hidden, x])
        XCTAssertEqual(gradients[0]?.scalars, [4, -8, 2], "2·hidden")
        XCTAssertEqual(gradients[1]?.scalars, [8, -16, 4], "8x")
    }

    func testOpsAfterTheRecordBlockAreNotRecorded() {
        let tape = GradientTape(persistent: true)
        tape.record { tape.watch(x) }
        let y = (x * x).sum()
        XCTAssertNil(tape.gradient(of: y, wrt: x))
    }

    func testGradientMayBeAskedInsideTheRecordBlock() {
        let tape = GradientTape(persistent: true)
        let gradient = tape.record { () -> Tensor? in
            tape.watch(x)
            let y = (x * x * x).sum()
            return tape.gradient(of: y, wrt: x)
        }
        XCTAssertEqual(gradient?.scalars, [3, 12, 0.75])
    }

    func testSiblingTapesKeepTheirOwnWatches() {
        let a = Tensor(shape: [1], scalars: [2]), b = Tensor(shape: [1], scalars: [5])
        let tapeA = GradientTape(), tapeB = GradientTape()
        let (ya, yb) = tapeA.record {
            tapeB.record { () -> (Tensor, Tensor) in
                tapeA.watch(a)
                tapeB.watch(b)
                return ((a * b).sum(), (a * b).sum())
            }
        }
        XCTAssertEqual(tapeA.gradient(of: ya, wrt: [a, b]).map { $0?.scalars }, [[5], nil])
        XCTAssertEqual(tapeB.gradient(of: yb, wrt: [a, b]).map { $0?.scalars }, [nil, [2]])
    }

    /// Where operands tie, minimum/maximum give the gradient to the first one, and a max
    /// reduction shares it equally among the tied maxima (TensorFlow's rules).
    func testTieRules() {
        let a = Tensor(shape: [2], scalars: [1, 2]), b = Tensor(shape: [2], scalars: [1, 3])
        let ops: [(String, (Tensor, Tensor) -> Tensor)] = [("minimum", { $0.minimum($1) }), ("maximum", { $0.maximum($1) })]
        for (name, op) in ops {
            let tape = GradientTape()
            let y = tape.record { () -> Tensor in
                tape.watch(a)
                tape.watch(b)
                return op(a, b).sum()
            }
            let gradients = tape.gradient(of: y, wrt: [a, b])
            XCTAssertEqual(gradients[0]?.scalars.first, 1, "\(name): the tie goes to the first operand")
            XCTAssertEqual(gradients[1]?.scalars.first, 0, name)
        }
        let m = Tensor(shape: [4], scalars: [3, 1, 3, 3])
        let tape = GradientTape()
        let y = tape.record { () -> Tensor in
            tape.watch(m)
            return m.max()
        }
        assertClose(tape.gradient(of: y, wrt: m)!.scalars, [1.0 / 3, 0, 1.0 / 3, 1.0 / 3])
    }
}
