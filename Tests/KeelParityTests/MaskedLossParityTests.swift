import Foundation
import XCTest
@testable import Keel
import KeelTestSupport

/// A sequence output behind Embedding(mask_zero): Keras leaves the padded steps out of the loss
/// (apply_mask: valid steps weigh total/valid) and out of the mean metrics, with and without
/// per-step sample weights. Keras evaluates a saved model at test time; Keel loads the same file and must
/// report the same loss and accuracy.
final class MaskedLossParityTests: XCTestCase {
    static let script = """
    import json, os, sys
    os.environ["KERAS_BACKEND"] = "jax"
    os.environ.setdefault("JAX_PLATFORMS", "cpu")
    import numpy as np
    import keras
    from keras import layers
    assert keras.__version__ == "3.15.1", keras.__version__
    folder = sys.argv[1]
    keras.utils.set_random_seed(11)
    ids = keras.Input((5,), dtype="int32")
    h = layers.Embedding(9, 4, mask_zero=True)(ids)
    h = layers.LSTM(6, return_sequences=True)(h)
    out = layers.Dense(3, activation="softmax")(h)
    model = keras.Model(ids, out)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    x = np.array([[1, 4, 0, 0, 0], [2, 3, 5, 8, 1], [7, 0, 0, 0, 0], [6, 6, 2, 0, 0]], dtype="int32")
    y = np.array([[0, 1, 2, 2, 2], [1, 1, 0, 2, 1], [2, 0, 0, 0, 0], [0, 2, 1, 1, 1]], dtype="int32")
    # Per-step weights: Keras 3.15.1 cannot broadcast a per-sample weight against the mask.
    w = np.random.default_rng(2).uniform(0, 2, size=(4, 5)).astype("float32")
    path = os.path.join(folder, "masked.keras")
    model.save(path)
    np.save(os.path.join(folder, "x.npy"), x)
    np.save(os.path.join(folder, "y.npy"), y)
    np.save(os.path.join(folder, "w.npy"), w)
    plain = model.evaluate(x, y, batch_size=4, verbose=0, return_dict=True)
    weighted = model.evaluate(x, y, sample_weight=w, batch_size=4, verbose=0, return_dict=True)
    print("KEEL-KERAS-MASKED " + json.dumps({"model": path, "plain": plain, "weighted": weighted}))
    """

    func testMaskedStepsLeaveTheLossAndAccuracyAsInKeras() throws {
        let directory = ProjectPaths.temporaryDirectory("keel-masked-loss")
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try runPython(Self.script, arguments: [directory.path])
        let marker = "KEEL-KERAS-MASKED "
        guard result.status == 0, let line = result.stdout.split(separator: "\n").last(where: { $0.hasPrefix(marker) }) else {
            return XCTFail("Keras could not evaluate the model (exit \(result.status)): \(result.stderr.suffix(3000))")
        }
        let keras = try XCTUnwrap(try JSONValue.parse(String(line.dropFirst(marker.count)), source: "Keras").objectValue)
        let model = try Model.load(from: try XCTUnwrap(keras["model"]?.stringValue))
        func array(_ name: String) throws -> Tensor { Tensor(try NPY.read(directory.appendingPathComponent(name).path)) }
        let x = try array("x.npy"), y = try array("y.npy"), w = try array("w.npy")
        let plain = try model.evaluate([x], [y], batchSize: 4, verbose: .silent)
        let weighted = try model.evaluate([x], [y], batchSize: 4, verbose: .silent, sampleWeight: w)
        for (what, keel, expected) in [("plain", plain, keras["plain"]), ("weighted", weighted, keras["weighted"])] {
            for name in ["loss", "accuracy"] {
                let wanted = try XCTUnwrap(expected?.objectValue?[name]?.doubleValue, "Keras's \(what) \(name)")
                XCTAssertEqual(keel[name] ?? .nan, wanted, accuracy: 1e-5, "\(what) \(name)")
            }
        }
        // The masked steps matter here: without the mask the loss differs by more than the
        // tolerance of the comparison above (the untrained model's losses are all near ln 3).
        let (predictions, masks) = model.forwardWithMasks([x])
        XCTAssertEqual(masks[0]?.sum().scalar, 11, "11 of the 20 steps are real words")
        let unmasked = model.computeLoss(y: [y], yPred: predictions, sampleWeight: nil)
        XCTAssertGreaterThan(abs(Double(unmasked.scalar) - (plain["loss"] ?? 0)), 1e-4)
    }
}
