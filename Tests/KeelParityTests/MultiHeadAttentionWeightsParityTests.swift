import Foundation
import XCTest
import Keel
import KeelTestSupport

/// A Functional model with a MultiHeadAttention (query and value inputs, then a Dense) in both
/// directions between Keel and Keras 3.15.1 through `.weights.h5`: the file Keras writes loads
/// into the same Keel model, which then predicts what Keras predicted; the file Keel writes has
/// exactly the groups, datasets and shapes of Keras's file (the projections under
/// `query_dense`, `key_dense`, `value_dense`, `output_dense`, the empty `_softmax` and
/// `_dropout_layer`), and Keras loading it predicts what Keel predicts. Keras's `.keras` archive of
/// the model loads in Keel too, and Keel's `.keras` and `.h5` files of a model with all three
/// attention layers load in Keras.
final class MultiHeadAttentionWeightsParityTests: XCTestCase {
    private func keelModel() throws -> Model {
        let query = Input(shape: [3, 4]), value = Input(shape: [5, 6])
        let attended = try MultiHeadAttention(numHeads: 2, keyDim: 3, biasInitializer: RandomNormal(seed: 3, stddev: 0.5))(
            [query, value])
        let output = try Dense(units: 2, biasInitializer: RandomNormal(seed: 4, stddev: 0.5))(attended)
        return try Model(inputs: [query, value], outputs: [output])
    }

    private func data() -> [Tensor] {
        [RandomNormal(seed: 1, stddev: 1)([2, 3, 4]), RandomNormal(seed: 2, stddev: 1)([2, 5, 6])]
    }

    func testWeightsFilesTravelBetweenKerasAndKeel() throws {
        let directory = ProjectPaths.temporaryDirectory("keel-mha-weights")
        defer { try? FileManager.default.removeItem(at: directory) }
        let kerasFile = directory.appendingPathComponent("keras.weights.h5").path
        let keelFile = directory.appendingPathComponent("keel.weights.h5").path
        let kerasArchive = directory.appendingPathComponent("keras.keras").path
        let inputs = data()

        let written = try keelModel()
        // A first call builds the layers, as Keras's symbolic call does.
        let keelPrediction = written.forward(inputs)[0]
        try written.saveWeights(to: keelFile)

        let job: JSONValue = [
            "keras_file": .string(kerasFile), "keel_file": .string(keelFile), "keras_archive": .string(kerasArchive),
            "query": .array(inputs[0].scalars.map { .double(Double($0)) }),
            "value": .array(inputs[1].scalars.map { .double(Double($0)) }),
        ]
        let results = try KerasScriptResults.run(Self.script, cases: [job], marker: Self.marker, what: "MultiHeadAttention weights")
        let result = try XCTUnwrap(results.first)

        // Keras's file in Keel.
        let loaded = try keelModel()
        _ = loaded.forward(inputs)
        try loaded.loadWeights(from: kerasFile)
        let kerasPrediction = try XCTUnwrap(result["keras_prediction"]?.arrayValue).compactMap(\.doubleValue)
        assertClose(loaded.forward(inputs)[0].scalars, kerasPrediction, "Keel with Keras's weights")
        // Keras's whole model (positional query and value in the node, `shapes_dict` build config).
        let archive = try Model.load(from: kerasArchive)
        assertClose(archive.forward(inputs)[0].scalars, kerasPrediction, "Keel loading Keras's .keras")

        // Keel's file: Keras's layout, and Keras predicts what Keel did.
        let kerasLayout = try XCTUnwrap(result["keras_layout"]?.arrayValue).compactMap(\.stringValue)
        let keelLayout = try XCTUnwrap(result["keel_layout"]?.arrayValue).compactMap(\.stringValue)
        XCTAssertEqual(keelLayout, kerasLayout)
        for path in ["layers/multi_head_attention/query_dense/vars/0 (4, 2, 3)", "layers/multi_head_attention/output_dense/vars/1 (4,)",
                     "layers/multi_head_attention/_softmax/vars", "layers/multi_head_attention/_dropout_layer/vars"] {
            XCTAssertTrue(keelLayout.contains(path), "\(path) in \(keelLayout)")
        }
        let fromKeelFile = try XCTUnwrap(result["keel_file_prediction"]?.arrayValue).compactMap(\.doubleValue)
        assertClose(keelPrediction.scalars, fromKeelFile, "Keras with Keel's weights")
    }

    /// Keel's `.keras` and `.h5` files of a model with the three attention layers load in Keras,
    /// which predicts what Keel predicts: their configs, the MultiHeadAttention call's positional
    /// query and value, and the nested weights are ones Keras reads.
    func testKerasLoadsKeelModelsWithAttentionLayers() throws {
        let query = Input(shape: [3, 4], name: "query"), value = Input(shape: [5, 4], name: "value")
        let multiHead = try MultiHeadAttention(numHeads: 2, keyDim: 3, useGate: true, outputShape: [2],
                                               biasInitializer: RandomNormal(seed: 3, stddev: 0.5))([query, value])
        let dot = try Attention(useScale: true, scoreMode: "concat")([query, value, value])
        let additive = try AdditiveAttention()([query, value])
        let model = try Model(inputs: [query, value], outputs: [multiHead, dot, additive], name: "attention_layers")
        let directory = ProjectPaths.temporaryDirectory("keel-attention-in-keras")
        defer { try? FileManager.default.removeItem(at: directory) }
        let inputs = data().enumerated().map { i, x in i == 0 ? x : RandomNormal(seed: 8, stddev: 1)([2, 5, 4]) }
        let expected = model.forward(inputs)
        var inputPaths: [String] = []
        for (i, x) in inputs.enumerated() {
            let path = directory.appendingPathComponent("input\(i).npy").path
            try NPY.write(x.arrayData, to: path)
            inputPaths.append(path)
        }
        var jobs: [KerasLoadJob] = []
        for format in ["keras", "h5"] {
            let path = directory.appendingPathComponent("attention.\(format)").path
            try model.save(to: path)
            jobs.append(KerasLoadJob(file: path, architecture: nil, inputs: inputPaths))
        }
        let results = try KerasLoadJob.run(jobs, scratch: directory)
        XCTAssertEqual(results.count, jobs.count)
        for result in results {
            let file = result["file"]?.stringValue ?? "?"
            if let error = result["error"]?.stringValue {
                XCTFail("Keras could not load \(file): \(error)")
                continue
            }
            let predictions = result["predictions"]?.arrayValue ?? []
            XCTAssertEqual(predictions.count, expected.count, "Keras outputs of \(file)")
            for (index, (prediction, wanted)) in zip(predictions, expected).enumerated() {
                Fixtures.assertClose(Fixtures.tensor(prediction), wanted, tolerance: 1e-5, "Keras prediction \(index) of \(file)")
            }
        }
    }

    private func assertClose(_ actual: [Float], _ expected: [Double], _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(actual.count, expected.count, what, file: file, line: line)
        for (i, (a, e)) in zip(actual, expected).enumerated() where abs(Double(a) - e) > 1e-5 {
            XCTFail("\(what): element \(i) is \(a), expected \(e)", file: file, line: line)
            return
        }
    }

    static let marker = "KEEL-MHA-WEIGHTS "

    static let script = """
    import json, os, sys
    os.environ["KERAS_BACKEND"] = "jax"
    os.environ.setdefault("JAX_PLATFORMS", "cpu")
    import numpy as np
    import h5py
    import keras
    assert keras.__version__ == "3.15.1", keras.__version__

    def model():
        keras.utils.clear_session()
        query, value = keras.Input((3, 4)), keras.Input((5, 6))
        # value_dim stays key_dim: Keras's fused jax path cannot take others.
        attended = keras.layers.MultiHeadAttention(num_heads=2, key_dim=3)(query, value)
        return keras.Model([query, value], keras.layers.Dense(2)(attended))

    def layout(path):
        found = []
        with h5py.File(path, "r") as f:
            f.visititems(lambda name, item: found.append(
                name + (" " + str(tuple(item.shape)) if isinstance(item, h5py.Dataset) else "")))
        return sorted(found)

    results = []
    for case in json.load(open(sys.argv[1])):
        inputs = [np.array(case["query"], dtype="float32").reshape(2, 3, 4),
                  np.array(case["value"], dtype="float32").reshape(2, 5, 6)]
        keras.utils.set_random_seed(5)
        written = model()
        # Biases drawn too, so that every weight shows in the prediction.
        written.set_weights([np.random.default_rng(6).normal(0, 0.5, w.shape).astype("float32") for w in written.get_weights()])
        written.save_weights(case["keras_file"])
        written.save(case["keras_archive"])
        reader = model()
        reader.load_weights(case["keel_file"])
        results.append({
            "keras_prediction": np.asarray(written.predict(inputs, verbose=0)).reshape(-1).astype("float64").tolist(),
            "keel_file_prediction": np.asarray(reader.predict(inputs, verbose=0)).reshape(-1).astype("float64").tolist(),
            "keras_layout": layout(case["keras_file"]),
            "keel_layout": layout(case["keel_file"]),
        })
    print("KEEL-MHA-WEIGHTS " + json.dumps(results))
    """
}
