import XCTest
@testable import KeelTensor

/// Variables: automatic watching by tapes, and in-place updates that never disturb tensors
/// read from them earlier.
final class VariableTests: XCTestCase {
    func testTrainableVariableReadInsideRecordIsWatchedAutomatically() {
        let w = Variable(Tensor(shape: [2], scalars: [3, -1]), name: "w")
        let tape = GradientTape()
        let y = tape.record { (w.value * w.value).sum() }
        XCTAssertEqual(tape.gradient(of: y, wrt: [w])[0]?.scalars, [6, -2])
    }

    func testNonTrainableVariableIsNotWatched() {
        let frozen = Variable(Tensor(shape: [2], scalars: [3, -1]), name: "frozen", trainable: false)
        let tape = GradientTape()
        let y = tape.record { (frozen.value * 2).sum() }
        XCTAssertNil(tape.gradient(of: y, wrt: [frozen])[0])
    }

    func testExplicitWatchOfANonTrainableVariable() {
        let frozen = Variable(Tensor(shape: [2], scalars: [3, -1]), name: "frozen", trainable: false)
        let tape = GradientTape()
        let y = tape.record { () -> Tensor in
            tape.watch(frozen)
            return (frozen.value * 2).sum()
        }
        XCTAssertEqual(tape.gradient(of: y, wrt: [frozen])[0]?.scalars, [2, 2])
    }

    func testTapeThatDoesNotWatchAccessedVariables() {
        let w = Variable(Tensor(shape: [1], scalars: [2]), name: "w")
        let tape = GradientTape(watchAccessedVariables: false)
        let y = tape.record { (w.value * 3).sum() }
        XCTAssertNil(tape.gradient(of: y, wrt: [w])[0])
    }

    func testVariableReadBeforeRecordingIsNotWatched() {
        let w = Variable(Tensor(shape: [1], scalars: [2]), name: "w")
        let early = w.value
        let tape = GradientTape()
        let y = tape.record { (early * 3).sum() }
        XCTAssertNil(tape.gradient(of: y, wrt: [early])[0])
    }

    func testAssignReplacesTheValueWithoutAliasingTheSource() {
        let w = Variable(Tensor.zeros([3]), name: "w", path: "dense_1/kernel")
        XCTAssertEqual(w.path, "dense_1/kernel")
        XCTAssertEqual(Variable(Tensor.zeros([1]), name: "b").path, "b", "the path defaults to the name")
        let source = Tensor(shape: [3], scalars: [1, 2, 3])
        w.assign(source)
        XCTAssertEqual(w.value.scalars, [1, 2, 3])
        w.assignAdd(Tensor(shape: [3], scalars: [10, 10, 10]))
        XCTAssertEqual(w.value.scalars, [11, 12, 13])
        XCTAssertEqual(source.scalars, [1, 2, 3], "the assigned tensor keeps its values")
    }

    func testAssignAddAndAssignSubWithFullAndScalarDeltas() {
        let w = Variable(Tensor(shape: [2, 2], scalars: [1, 2, 3, 4]), name: "w")
        w.assignAdd(Tensor(shape: [2, 2], scalars: [1, 1, 2, 2]))
        XCTAssertEqual(w.value.scalars, [2, 3, 5, 6])
        w.assignSub(Tensor(0.5))
        XCTAssertEqual(w.value.scalars, [1.5, 2.5, 4.5, 5.5])
        w.assignSub(Tensor(shape: [2, 2], scalars: [1.5, 2.5, 4.5, 5.5]))
        XCTAssertEqual(w.value.scalars, [0, 0, 0, 0])
        XCTAssertEqual(w.shape, [2, 2])
    }

    /// An update writes the variable's own buffer when nothing else shares it.
    func testUpdatesHappenInPlace() {
        let w = Variable(Tensor(shape: [4], scalars: [1, 2, 3, 4]), name: "w")
        let before = w.value.storage.pointer
        w.assignAdd(Tensor(1))
        w.assignSub(Tensor(shape: [4], scalars: [1, 1, 1, 1]))
        w.updateInPlace { values in for i in values.indices { values[i] *= 2 } }
        XCTAssertEqual(w.value.storage.pointer, before, "no new buffer for an unshared value")
        XCTAssertEqual(w.value.scalars, [2, 4, 6, 8])
    }

    /// A tensor read before an update still holds the old values (copy on write), and the
    /// updated value has a new identity so no tape mistakes one for the other.
    func testEarlierReadsKeepTheirValues() {
        let w = Variable(Tensor(shape: [2], scalars: [1, 2]), name: "w")
        let snapshot = w.value
        w.assignAdd(Tensor(shape: [2], scalars: [5, 5]))
        XCTAssertEqual(snapshot.scalars, [1, 2])
        XCTAssertEqual(w.value.scalars, [6, 7])
        XCTAssertNotEqual(w.value.id, snapshot.id)
    }

    /// A training step: gradient through a variable, then an in-place SGD update.
    func testGradientThenUpdateMovesDownhill() {
        let w = Variable(Tensor(shape: [2], scalars: [2, -3]), name: "w")
        for _ in 0..<50 {
            let tape = GradientTape()
            let loss = tape.record { (w.value * w.value).sum() }
            let gradient = tape.gradient(of: loss, wrt: [w])[0]!
            w.assignSub(gradient * 0.1)
        }
        XCTAssertTrue(w.value.scalars.allSatisfy { Swift.abs($0) < 1e-4 }, "w → 0, got \(w.value.scalars)")
    }
}
