import Foundation
import XCTest
@testable import Keel
import KeelTestSupport

/// Sequence models saved by Keras 3.15.1 (`.keras` and `.h5`) load in Keel and predict what Keras
/// predicted; Keel saves the same models again and Keras loads Keel's files and predicts the same.
/// The models: token ids behind Embedding(mask_zero) with padded steps, a Bidirectional LSTM
/// over them, masks merged by Add and Concatenate, and a GRU reading the mask; and MultiHeadAttention with a residual LayerNormalization
/// feeding an LSTM that returns its states, and a GRU with reset_after off.
final class SequenceModelsBothWaysTests: XCTestCase {
    static let script = """
    import json, os, sys
    os.environ["KERAS_BACKEND"] = "jax"
    os.environ.setdefault("JAX_PLATFORMS", "cpu")
    import numpy as np
    import keras
    from keras import layers
    assert keras.__version__ == "3.15.1", keras.__version__
    folder = sys.argv[1]
    keras.utils.set_random_seed(7)
    tokens = keras.Input((6,), dtype="int32", name="tokens")
    h = layers.Embedding(12, 5, mask_zero=True)(tokens)
    h = layers.Bidirectional(layers.LSTM(4, return_sequences=True))(h)
    # Keras records the merged mask as LogicalOr/ExpandDims/... operation nodes; Keel's own flows instead.
    # (Named: Keras re-creating the mask of a Concatenate layer named "concatenate" names its own
    # concatenate operation the same and refuses the model, for any file without those nodes.)
    h = layers.Concatenate(name="joined")([layers.Add()([h, layers.Dense(8)(h)]), h])
    h = layers.GRU(3)(h)
    recurrent = keras.Model(tokens, layers.Dense(2)(h), name="recurrent")
    ids = np.array([[3, 7, 1, 0, 0, 0], [5, 2, 9, 11, 4, 6], [8, 0, 0, 0, 0, 0]], dtype="int32")

    x = keras.Input((5, 4), name="frames")
    a = layers.MultiHeadAttention(2, 3)(x, x)
    n = layers.LayerNormalization()(layers.Add()([x, a]))
    seq, state_h, state_c = layers.LSTM(3, return_sequences=True, return_state=True)(n)
    g = layers.GRU(2, reset_after=False, go_backwards=True)(seq)
    attention = keras.Model(x, [layers.Concatenate()([state_h, state_c, g]), seq], name="attention")
    frames = np.random.default_rng(3).normal(size=(2, 5, 4)).astype("float32")

    results = []
    for model, data in [(recurrent, ids), (attention, frames)]:
        np.save(os.path.join(folder, model.name + "_input.npy"), data)
        outputs = model.predict(data, verbose=0)
        outputs = list(outputs) if isinstance(outputs, (list, tuple)) else [outputs]
        files = []
        for suffix in ["keras", "h5"]:
            path = os.path.join(folder, model.name + "." + suffix)
            model.save(path)
            files.append(path)
        results.append({"name": model.name, "files": files, "input": os.path.join(folder, model.name + "_input.npy"),
                        "predictions": [o.tolist() for o in outputs]})
    print("KEEL-KERAS-MODELS " + json.dumps(results))
    """

    func testKerasSavedSequenceModelsPredictAlikeInKeelAndKerasLoadsKeelsCopies() throws {
        let directory = ProjectPaths.temporaryDirectory("keel-sequence-both-ways")
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try runPython(Self.script, arguments: [directory.path])
        let marker = "KEEL-KERAS-MODELS "
        guard result.status == 0, let line = result.stdout.split(separator: "\n").last(where: { $0.hasPrefix(marker) }) else {
            return XCTFail("Keras could not make the models (exit \(result.status)): \(result.stderr.suffix(3000))")
        }
        let models = (try JSONValue.parse(String(line.dropFirst(marker.count)), source: "Keras models").arrayValue ?? [])
            .compactMap(\.objectValue)
        XCTAssertEqual(models.count, 2)
        var jobs: [KerasLoadJob] = []
        var expectations: [String: [JSONValue]] = [:]
        for entry in models {
            let name = entry["name"]?.stringValue ?? "?"
            let inputPath = try XCTUnwrap(entry["input"]?.stringValue)
            let input = Tensor(try NPY.read(inputPath))
            let expected = entry["predictions"]?.arrayValue ?? []
            for file in entry["files"]?.arrayValue?.compactMap(\.stringValue) ?? [] {
                let model: Model
                do {
                    model = try Model.load(from: file)
                } catch {
                    XCTFail("Keel could not load Keras's \(file): \(error)")
                    continue
                }
                let predictions = model.forward([input])
                XCTAssertEqual(predictions.count, expected.count, "outputs of \(file)")
                for (index, (prediction, wanted)) in zip(predictions, expected).enumerated() {
                    Fixtures.assertClose(prediction, Fixtures.tensor(wanted), tolerance: 1e-4, "Keel's prediction \(index) of Keras's \(file)")
                }
                let copy = directory.appendingPathComponent("keel-" + (file as NSString).lastPathComponent).path
                try model.save(to: copy)
                jobs.append(KerasLoadJob(file: copy, architecture: nil, inputs: [inputPath]))
                expectations[copy] = expected
            }
            XCTAssertFalse(name.isEmpty)
        }
        XCTAssertEqual(jobs.count, 4)
        for loaded in try KerasLoadJob.run(jobs, scratch: directory) {
            let file = loaded["file"]?.stringValue ?? "?"
            if let error = loaded["error"]?.stringValue {
                XCTFail("Keras could not load Keel's \(file): \(error)")
                continue
            }
            let predictions = loaded["predictions"]?.arrayValue ?? []
            let expected = expectations[file] ?? []
            XCTAssertEqual(predictions.count, expected.count, "Keras outputs of \(file)")
            for (index, (prediction, wanted)) in zip(predictions, expected).enumerated() {
                Fixtures.assertClose(Fixtures.tensor(prediction), Fixtures.tensor(wanted), tolerance: 1e-4,
                                     "Keras's prediction \(index) of Keel's \(file)")
            }
        }
    }
}
