import XCTest
import Keel

/// Ftrl has no case in the Keras fixtures, so its rule is checked against a NumPy float32
/// transcription of Keras's `Ftrl.update_step` (same operations, same order), two steps with every
/// regularization on.
final class OptimizerFtrlTests: XCTestCase {
    func testTwoStepsMatchKerasUpdateRule() {
        let optimizer = Ftrl(learningRate: 0.1, l1RegularizationStrength: 0.01, l2RegularizationStrength: 0.02,
                             l2ShrinkageRegularizationStrength: 0.03, beta: 0.1, name: "ftrl")
        let w = Variable(Tensor(shape: [3], scalars: [0.5, -0.3, 0]), name: "kernel", path: "dense/kernel")
        optimizer.apply([Tensor(shape: [3], scalars: [1, -2, 0.5])], to: [w])
        assertClose(w.value.scalars, [0.227523, -0.1455180, -0.07044198])
        optimizer.apply([Tensor(shape: [3], scalars: [-0.5, 0.25, 0])], to: [w])
        assertClose(w.value.scalars, [0.2659423, -0.1567701, -0.06983437])
        assertClose(optimizer.slot("linear", for: w).value.scalars, [-3.3765507, 3.3714957, 0.4957735])
        assertClose(optimizer.slot("accumulator", for: w).value.scalars, [1.35, 4.1625, 0.35])
        XCTAssertEqual(optimizer.variables.map(\.path), ["ftrl/iteration", "ftrl/learning_rate",
                                                         "ftrl/dense_kernel_accumulator", "ftrl/dense_kernel_linear"])
    }

    func testNegativeStrengthsInAConfigAreRefused() {
        XCTAssertThrowsError(try Registries.optimizers.make("Ftrl", config: ["l1_regularization_strength": -1.0])) { error in
            XCTAssertTrue("\(error)".contains("'l1_regularization_strength'"), "\(error)")
        }
    }

    private func assertClose(_ actual: [Float], _ expected: [Float], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(actual.count, expected.count, file: file, line: line)
        for (a, e) in zip(actual, expected) { XCTAssertEqual(a, e, accuracy: 1e-5 * max(1, abs(e)), file: file, line: line) }
    }
}
