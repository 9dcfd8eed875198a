import Foundation
import XCTest
import Keel
import KeelTestSupport

/// The TensorBoard callback's Keras arguments as configs give them, and the Projector files of
/// `embeddings_freq`.
final class TensorBoardSettingsTests: XCTestCase {
    private func make(_ config: JSONObject) throws -> TensorBoard {
        try XCTUnwrap(try Registries.callbacks.make("TensorBoard", config: config) as? TensorBoard)
    }

    func testUpdateFrequencyAndProfileBatchReadAsKerasTakesThem() throws {
        XCTAssertEqual(try make([:]).updateFrequency, .epoch)
        XCTAssertEqual(try make(["update_freq": "batch"]).updateFrequency, .batches(1))
        XCTAssertEqual(try make(["update_freq": 50]).updateFrequency, .batches(50))
        XCTAssertEqual(try make(["profile_batch": "10,20"]).profileBatch, ProfileBatchRange(start: 10, stop: 20))
        XCTAssertEqual(try make(["profile_batch": [3, 5]]).profileBatch.configValue, [3, 5])
        XCTAssertEqual(try make(["profile_batch": 4]).profileBatch.configValue, 4)
        for (key, value) in [("update_freq", "sometimes"), ("update_freq", 0), ("profile_batch", -1), ("profile_batch", [5, 2]),
                             ("profile_batch", "a,b"), ("histogram_freq", -1)] as [(String, JSONValue)] {
            XCTAssertThrowsError(try Registries.callbacks.make("TensorBoard", config: [key: value]), "\(key)=\(value.serialized())") { error in
                XCTAssertTrue("\(error)".contains("'\(key)'"), "\(error)")
            }
        }
        XCTAssertThrowsError(try TensorBoard(updateFrequency: .batches(0)).check())
    }

    func testEmbeddingsFrequencyWritesTheProjectorConfigAndWeights() throws {
        let directory = ProjectPaths.temporaryDirectory("keel-tensorboard-embeddings")
        defer { try? FileManager.default.removeItem(at: directory) }
        let model = try Sequential([InputLayer(batchShape: [nil, 3]), Embedding(inputDim: 10, outputDim: 4, name: "words"),
                                    Flatten(), Dense(units: 1)])
        try model.compile(optimizer: SGD(learningRate: 0.01), loss: MeanSquaredError())
        let x = Tensor(shape: [4, 3], scalars: [1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2]), y = Tensor(shape: [4, 1], scalars: [0, 1, 0, 1])
        let board = TensorBoard(logDirectory: directory.path, embeddingsFrequency: 2, embeddingsMetadata: .object(["words": "words.tsv"]))
        try model.fit(x, y, batchSize: 2, epochs: 3, verbose: 0, callbacks: [board])
        let config = try String(contentsOfFile: directory.appendingPathComponent("projector_config.pbtxt").path, encoding: .utf8)
        XCTAssertEqual(config, """
            embeddings {
              tensor_name: "layer_with_weights-0/embeddings/.ATTRIBUTES/VARIABLE_VALUE"
              metadata_path: "words.tsv"
            }

            """)
        let saved = try FileManager.default.contentsOfDirectory(atPath: board.trainDirectory).filter { $0.hasSuffix(".weights.h5") }.sorted()
        XCTAssertEqual(saved, ["keras_embedding.ckpt-0.weights.h5", "keras_embedding.ckpt-2.weights.h5"])
        // A metadata entry for a layer the model does not have is an error, as in Keras.
        let wrong = TensorBoard(logDirectory: directory.path, embeddingsFrequency: 1, embeddingsMetadata: .object(["nothing": "n.tsv"]))
        XCTAssertThrowsError(try model.fit(x, y, batchSize: 2, epochs: 1, verbose: 0, callbacks: [wrong])) { error in
            XCTAssertTrue("\(error)".contains("nothing"), "\(error)")
        }
    }
}
