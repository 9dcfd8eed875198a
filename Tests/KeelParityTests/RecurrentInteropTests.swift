import Foundation
import XCTest
import Keel
import KeelTestSupport

/// Models with LSTM, GRU (reset_after false), an RNN over stacked cells and Bidirectional(LSTM)
/// go both ways between Keel and Keras 3.15.1 (the test venv) in `.keras` and `.h5`: Keras
/// loads what Keel saved and predicts what Keel predicted, and Keel loads what Keras saved and
/// predicts what Keras predicted. The inputs come from each side's run, no value is typed here.
final class RecurrentInteropTests: XCTestCase {
    static let marker = "KEEL-RECURRENT-INTEROP "

    /// Reads the job (Keel's files and predictions), checks them in Keras, then saves the same
    /// architecture made in Keras and prints its files and predictions.
    static let script = """
        import json, os, sys
        os.environ["KERAS_BACKEND"] = "jax"
        import numpy as np
        import keras
        job = json.load(open(sys.argv[1]))[0]
        x = np.array(job["x"], dtype="float32").reshape(job["shape"])
        y = np.array(job["y"], dtype="float32")
        results = []
        for path in job["keel_files"]:
            model = keras.models.load_model(path)
            results.append({"file": path, "max_diff": float(np.abs(model.predict(x, verbose=0).ravel() - y).max())})
        keras.utils.set_random_seed(3)
        inputs = keras.Input((5, 3), name="features")
        h = keras.layers.LSTM(4, return_sequences=True)(inputs)
        h = keras.layers.GRU(3, return_sequences=True, reset_after=False)(h)
        h = keras.layers.RNN([keras.layers.SimpleRNNCell(2), keras.layers.LSTMCell(2)], return_sequences=True)(h)
        h = keras.layers.Bidirectional(keras.layers.LSTM(2), merge_mode="ave")(h)
        model = keras.Model(inputs, h)
        model.compile(optimizer="adam", loss="mse")
        kx = np.random.RandomState(0).randn(2, 5, 3).astype("float32")
        ky = model.predict(kx, verbose=0).ravel()
        for extension in ["keras", "h5"]:
            path = os.path.join(job["directory"], "from_keras." + extension)
            model.save(path)
            results.append({"keras_file": path, "x": kx.ravel().tolist(), "y": ky.tolist()})
        print("\(marker)" + json.dumps(results))
        """

    func testRecurrentModelsGoBothWaysBetweenKeelAndKeras() throws {
        let input = Input(shape: [5, 3], name: "features")
        let lstm = LSTM(units: 4, name: "lstm")
        lstm.returnSequences = true
        let gru = GRU(units: 3, resetAfter: false, name: "gru")
        gru.returnSequences = true
        let stacked = RNN([SimpleRNNCell(units: 2), LSTMCell(units: 2)], name: "rnn_1")
        stacked.returnSequences = true
        let both = Bidirectional(LSTM(units: 2, name: "inner"), mergeMode: "ave", name: "bidirectional")
        let model = try Model(inputs: [input], outputs: [try both(stacked(gru(lstm(input))))], name: "recurrent")
        let x = RandomNormal(seed: 3, stddev: 1)([2, 5, 3])
        let y = model.forward([x])[0]

        let directory = ProjectPaths.temporaryDirectory("keel-recurrent-interop")
        defer { try? FileManager.default.removeItem(at: directory) }
        let keelFiles = ["keras", "h5"].map { directory.appendingPathComponent("from_keel.\($0)").path }
        for path in keelFiles { try model.save(to: path) }
        let job: JSONValue = [
            "keel_files": .array(keelFiles.map { .string($0) }), "directory": .string(directory.path),
            "shape": [2, 5, 3], "x": .array(x.scalars.map { .double(Double($0)) }),
            "y": .array(y.scalars.map { .double(Double($0)) }),
        ]
        let results = try KerasScriptResults.run(Self.script, cases: .array([job]), marker: Self.marker,
                                                 what: "recurrent model interop")
        let checked = results.filter { $0["file"] != nil }
        XCTAssertEqual(checked.count, 2)
        for result in checked {
            let difference = result["max_diff"]?.doubleValue ?? .infinity
            XCTAssertLessThanOrEqual(difference, 1e-5, "Keras predicts otherwise from \(result["file"]?.stringValue ?? "?")")
        }
        let fromKeras = results.filter { $0["keras_file"] != nil }
        XCTAssertEqual(fromKeras.count, 2)
        for result in fromKeras {
            let path = result["keras_file"]?.stringValue ?? ""
            let kx = (result["x"]?.arrayValue ?? []).compactMap { $0.doubleValue.map(Float.init) }
            let ky = (result["y"]?.arrayValue ?? []).compactMap { $0.doubleValue.map(Float.init) }
            let loaded = try Model.load(from: path)
            let predicted = loaded.forward([Tensor(shape: [2, 5, 3], scalars: kx)])[0].scalars
            XCTAssertEqual(predicted.count, ky.count, path)
            let worst = zip(predicted, ky).map { abs($0 - $1) }.max() ?? .infinity
            XCTAssertLessThanOrEqual(worst, 1e-5, "Keel predicts otherwise from \(path)")
        }
    }
}
