import Foundation
import XCTest
import Keel
import KeelTestSupport

/// Keras 3's legacy `input_shape=` on the first layer of a Sequential: the model gets an
/// InputLayer of that shape and is built at once. Keel's `inputShape:` does the same, and what it
/// saves is what Keras saves for `Dense(8, input_shape=(5,))`: an InputLayer in the Sequential's
/// config and no `input_shape` in the layer's. Keras computes its side at test time.
final class InputShapeArgumentTests: XCTestCase {
    static let marker = "KEEL-INPUT-SHAPE "

    static let script = """
        import json, os, sys, warnings
        os.environ["KERAS_BACKEND"] = "jax"
        import numpy as np
        import keras
        job = json.load(open(sys.argv[1]))
        x = np.array(job["x"], dtype="float32").reshape(job["shape"])
        loaded = keras.models.load_model(job["path"])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            own = keras.Sequential([keras.layers.Dense(8, activation="relu", input_shape=(5,)), keras.layers.Dense(3)])
        def layers(model):
            return [(l["class_name"], sorted(k for k in l["config"] if k in ("input_shape", "batch_shape", "batch_input_shape")))
                    for l in model.get_config()["layers"]]
        print("\(marker)" + json.dumps({
            "loaded_layers": layers(loaded), "keras_layers": layers(own),
            "loaded_batch_shape": loaded.get_config()["layers"][0]["config"]["batch_shape"],
            "keras_batch_shape": own.get_config()["layers"][0]["config"]["batch_shape"],
            "params": loaded.count_params(), "keras_params": own.count_params(),
            "prediction": loaded.predict(x, verbose=0).ravel().tolist()}))
        """

    func testInputShapeOnTheFirstLayerBuildsTheSequentialAsKerasDoes() throws {
        KeelRandom.setSeed(3)
        let model = try Sequential([Dense(units: 8, activation: "relu", inputShape: [5], name: "hidden"),
                                    Dense(units: 3, name: "scores")], name: "stack")
        // Built at once: weights exist and the summary shows shapes, as with an explicit InputLayer.
        XCTAssertEqual(model.weights.count, 4)
        XCTAssertEqual(model.inputBatchShape, [nil, 5])
        let explicit = try Sequential([InputLayer(batchShape: [nil, 5]), Dense(units: 8, activation: "relu", name: "hidden"),
                                       Dense(units: 3, name: "scores")], name: "stack")
        XCTAssertEqual(model.summary(), explicit.summary())
        // Elsewhere the argument changes nothing: after an InputLayer, or on a later layer.
        let later = try Sequential([InputLayer(batchShape: [nil, 4]), Dense(units: 2, inputShape: [9])])
        XCTAssertEqual(later.inputBatchShape, [nil, 4])
        let second = try Sequential([Dense(units: 2), Dense(units: 2, inputShape: [9])])
        XCTAssertNil(second.inputBatchShape)
        // A first layer that does not fit its declared shape is the layer's error, and the model stays empty.
        let refused = try Sequential()
        XCTAssertThrowsError(try refused.add(Conv2D(filters: 2, kernelSize: [3, 3], inputShape: [5])))
        XCTAssertNil(refused.inputBatchShape)
        XCTAssertTrue(refused.layers.isEmpty)

        let directory = ProjectPaths.temporaryDirectory("keel-input-shape")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("model.h5").path
        try model.compile(optimizer: "adam", loss: "mse")
        try model.save(to: path)
        let reloaded = try Model.load(from: path)
        // The layer table (the reloaded model's optimizer is built, which the totals count).
        XCTAssertEqual(reloaded.summary().components(separatedBy: " Total")[0], model.summary().components(separatedBy: " Total")[0])
        let x = Tensor(shape: [2, 5], scalars: (0..<10).map { Float($0) / 10 - 0.4 })
        let job: JSONValue = ["path": .string(path), "x": .array(x.scalars.map { .double(Double($0)) }), "shape": [2, 5]]
        let jobFile = directory.appendingPathComponent("job.json")
        try job.serialized().write(to: jobFile, atomically: true, encoding: .utf8)
        let result = try runPython(Self.script, arguments: [jobFile.path])
        guard result.status == 0, let line = result.stdout.split(separator: "\n").last(where: { $0.hasPrefix(Self.marker) }) else {
            return XCTFail("Keras failed: \(result.stderr.suffix(3000))")
        }
        let keras = try JSONValue.parse(String(line.dropFirst(Self.marker.count)), source: "Keras").objectValue ?? [:]
        XCTAssertEqual(keras["loaded_layers"], keras["keras_layers"])
        XCTAssertEqual(keras["loaded_batch_shape"], keras["keras_batch_shape"])
        XCTAssertEqual(keras["params"], keras["keras_params"])
        let predicted = keras["prediction"]?.arrayValue?.compactMap(\.doubleValue) ?? []
        let expected = try model.predict(x, verbose: 0).scalars
        XCTAssertEqual(predicted.count, expected.count)
        for (a, b) in zip(predicted, expected) { XCTAssertEqual(a, Double(b), accuracy: 1e-5) }
    }
}
