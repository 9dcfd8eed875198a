import XCTest
import Keel

/// The seed's custom layer that adds an activity penalty with `add_loss`, Keel's
/// ActivityRegularization layer, and weight and activity regularizers.
final class LayerLossesTests: XCTestCase {
    /// The seed's `ActivityRegularizationLayer`: `self.add_loss(rate * reduce_sum(inputs))`.
    @Component(.layer)
    final class ActivityRegularizationLayer: Layer {
        @Hyper("rate") var rate = 1e-2

        override func call(_ input: Tensor, training: Bool) -> Tensor {
            addLoss(input.sum() * Float(rate))
            return input
        }
    }

    func testACustomLayerAddsItsLossInCall() throws {
        let layer = ActivityRegularizationLayer()
        let x = Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])
        let tape = GradientTape()
        let total = tape.record { () -> Tensor in
            tape.watch(x)
            let y = layer(x)
            XCTAssertEqual(y.scalars, x.scalars, "the layer passes its input through")
            return layer.callLosses.reduce(Tensor(0), +)
        }
        XCTAssertEqual(layer.callLosses.count, 1)
        XCTAssertEqual(total.scalar, 0.1, accuracy: 1e-6)
        XCTAssertEqual(try XCTUnwrap(tape.gradient(of: total, wrt: x)).scalars, [Float](repeating: 0.01, count: 4))
        _ = layer(x)
        XCTAssertEqual(layer.callLosses.count, 1, "each call replaces the losses of the previous one")
        XCTAssertEqual(layer.name, "activity_regularization_layer")
    }

    func testActivityRegularizationDividesItsPenaltyByTheBatchSize() {
        let layer = ActivityRegularization(l1: 0.1, l2: 0.01)
        let x = Tensor(shape: [2, 2], scalars: [1, -2, 3, -4])
        XCTAssertEqual(layer(x).scalars, x.scalars)
        // (0.1·10 + 0.01·30) / 2
        XCTAssertEqual(layer.callLosses.map(\.scalar), [0.65])
        XCTAssertEqual(layer.config.keys, ["name", "trainable", "dtype", "l1", "l2"])
    }

    func testWeightAndActivityRegularizersAddTheirPenalties() throws {
        let dense = Dense(units: 1, useBias: false, kernelInitializer: Ones(), kernelRegularizer: L2(l2: 0.5),
                          activityRegularizer: L1(l1: 0.1))
        let output = dense(Tensor(shape: [2, 3], scalars: [1, 1, 1, 2, 2, 2]))
        XCTAssertEqual(output.scalars, [3, 6])
        let penalties = dense.callLosses.map(\.scalar).sorted()
        // kernel: 0.5·3 = 1.5; activity: 0.1·9 / batch 2 = 0.45
        XCTAssertEqual(penalties.count, 2)
        XCTAssertEqual(penalties[0], 0.45, accuracy: 1e-6)
        XCTAssertEqual(penalties[1], 1.5, accuracy: 1e-6)
    }
}
