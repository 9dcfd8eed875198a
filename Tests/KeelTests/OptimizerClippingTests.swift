import XCTest
import Keel

/// Gradient clipping with the values keras-spec §8.1 verified in Keras.
final class OptimizerClippingTests: XCTestCase {
    /// Plain SGD at rate 1 from zero weights leaves exactly −(the clipped gradient) in the weights.
    private func clippedGradients(_ optimizer: Optimizer, _ gradients: [[Float]]) -> [[Float]] {
        let variables = gradients.indices.map { Variable(Tensor.zeros([gradients[$0].count]), name: "w\($0)") }
        optimizer.apply(gradients.map { Tensor(shape: [$0.count], scalars: $0) }, to: variables)
        return variables.map { $0.value.scalars.map { -$0 } }
    }

    private func assertClose(_ actual: [Float], _ expected: [Float], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(actual.count, expected.count, file: file, line: line)
        for (a, e) in zip(actual, expected) { XCTAssertEqual(a, e, accuracy: 1e-6, file: file, line: line) }
    }

    func testClipnormScalesEachGradientDownToTheNorm() {
        let clipped = clippedGradients(SGD(learningRate: 1, clipnorm: 1), [[3, 4], [0.3, 0.4]])
        assertClose(clipped[0], [0.6, 0.8])
        assertClose(clipped[1], [0.3, 0.4])
    }

    func testGlobalClipnormScalesAllGradientsTogether() {
        let clipped = clippedGradients(SGD(learningRate: 1, globalClipnorm: 1), [[3, 0], [4]])
        assertClose(clipped[0], [0.6, 0])
        assertClose(clipped[1], [0.8])
    }

    func testGlobalClipnormLeavesSmallGradientsAlone() {
        let clipped = clippedGradients(SGD(learningRate: 1, globalClipnorm: 10), [[3, 0], [4]])
        assertClose(clipped[0], [3, 0])
        assertClose(clipped[1], [4])
    }

    func testClipvalueClampsEachElement() {
        let clipped = clippedGradients(SGD(learningRate: 1, clipvalue: 0.5), [[-2, 0.25, 3]])
        assertClose(clipped[0], [-0.5, 0.25, 0.5])
    }

    func testAZeroGradientStaysZeroUnderClipnorm() {
        let clipped = clippedGradients(SGD(learningRate: 1, clipnorm: 1), [[0, 0]])
        assertClose(clipped[0], [0, 0])
    }

    func testAConfigWithTwoClippingOptionsIsRefused() {
        XCTAssertThrowsError(try Registries.optimizers.make("SGD", config: ["clipnorm": 1.0, "clipvalue": 0.5])) { error in
            XCTAssertTrue("\(error)".contains("clipnorm"), "\(error)")
        }
    }
}
