import XCTest
import Keel

/// Loss behaviour the Keras fixtures do not cover: CategoricalFocalCrossentropy (values from
/// Keras's documented examples), gradients against finite differences, and shape handling.
final class LossBehaviourTests: XCTestCase {
    private let oneHot = Tensor(shape: [2, 3], scalars: [0, 1, 0, 0, 0, 1])
    private let probabilities = Tensor(shape: [2, 3], scalars: [0.05, 0.95, 0, 0.1, 0.8, 0.1])

    func testCategoricalFocalCrossentropyMatchesKerasExamples() {
        XCTAssertEqual(CategoricalFocalCrossentropy()(oneHot, probabilities).scalar, 0.23315276, accuracy: 1e-6)
        let weighted = CategoricalFocalCrossentropy()(oneHot, probabilities, sampleWeight: Tensor(shape: [2], scalars: [0.3, 0.7]))
        XCTAssertEqual(weighted.scalar, 0.1632, accuracy: 1e-4)
        XCTAssertEqual(CategoricalFocalCrossentropy(reduction: .sum)(oneHot, probabilities).scalar, 0.46631, accuracy: 1e-5)
        let perSample = CategoricalFocalCrossentropy(reduction: .none)(oneHot, probabilities).scalars
        XCTAssertEqual(perSample[0], 3.2058331e-05, accuracy: 1e-9)
        XCTAssertEqual(perSample[1], 4.6627346e-01, accuracy: 1e-6)
    }

    func testCategoricalCrossentropyMatchesKerasExample() {
        XCTAssertEqual(CategoricalCrossentropy()(oneHot, probabilities).scalar, 1.177, accuracy: 1e-3)
        XCTAssertEqual(SparseCategoricalCrossentropy()(Tensor(shape: [2], int32s: [1, 2]), probabilities).scalar,
                       1.177, accuracy: 1e-3)
    }

    func testGradientsMatchFiniteDifferences() {
        let labels = Tensor(shape: [2, 3], scalars: [0, 1, 0, 1, 0, 1])
        let predictions = Tensor(shape: [2, 3], scalars: [0.3, 0.6, 0.2, 0.7, 0.4, 0.55])
        let losses: [Loss] = [
            CategoricalFocalCrossentropy(alpha: [0.2, 0.5, 0.3]), CategoricalFocalCrossentropy(fromLogits: true),
            FocalLoss(), BinaryFocalCrossentropy(applyClassBalancing: true, gamma: 1.5),
            Huber(delta: 0.25), CosineSimilarity(), LogCosh(),
        ]
        for loss in losses {
            let tape = GradientTape()
            tape.watch(predictions)
            let value = tape.record { loss(labels, predictions) }
            guard let gradient = tape.gradient(of: value, wrt: predictions) else {
                XCTFail("\(loss.name): no gradient")
                continue
            }
            let step: Float = 1e-3
            var values = predictions.scalars
            for i in values.indices {
                let original = values[i]
                values[i] = original + step
                let up = loss(labels, Tensor(shape: predictions.shape, scalars: values)).scalar
                values[i] = original - step
                let down = loss(labels, Tensor(shape: predictions.shape, scalars: values)).scalar
                values[i] = original
                // Central differences in float32 are good to about step² and 1e-3 of rounding.
                XCTAssertEqual(gradient.scalars[i], (up - down) / (2 * step), accuracy: 2e-3, "\(loss.name) element \(i)")
            }
        }
    }

    func testLabelsWithATrailingAxisOfOneMeetRankOnePredictions() {
        let loss = MeanSquaredError(reduction: .none)
        let values = loss(Tensor(shape: [3, 1], scalars: [1, 2, 3]), Tensor(shape: [3], scalars: [1, 1, 1]))
        XCTAssertEqual(values.shape, [3])
        XCTAssertEqual(values.scalars, [0, 1, 4])
    }

    func testIgnoredClassesAreLeftOutOfTheMean() {
        let loss = SparseCategoricalCrossentropy(ignoreClass: 0)
        let all = SparseCategoricalCrossentropy(reduction: .none)(Tensor(shape: [2], int32s: [1, 2]), probabilities)
        let masked = loss(Tensor(shape: [2], int32s: [0, 2]), probabilities)
        XCTAssertEqual(masked.scalar, all.scalars[1], accuracy: 1e-6)
        XCTAssertEqual(loss(Tensor(shape: [2], int32s: [0, 0]), probabilities).scalar, 0)
    }
}
