import Foundation
import XCTest
@testable import Keel
import KeelTestSupport

/// `Discretization(num_bins:)` adapted by Keel and by Keras 3.15.1 (run now, in the test venv)
/// on the same data — ties, more values than the summary keeps, several batches, a Keel
/// Dataset — gives the same boundaries (to the bit), the same config and the same outputs in
/// every output mode (ties between batches: see `tiesAcrossBatches`).
final class DiscretizationAdaptParityTests: XCTestCase {
    struct Case {
        let name: String
        let numBins: Int
        let epsilon: Double
        let data: [Float]
        let shape: [Int]
        /// nil: adapt on the whole array; else on batches of this many samples.
        let batchSize: Int?
        var viaDataset = false
        /// Values of one batch equal to summary points of another, of other weights: numpy's
        /// (SIMD, unstable) argsort orders such ties its own way, so boundaries next to them can
        /// differ in the last bits; compared to 1e-5 only, outputs not compared.
        var tiesAcrossBatches = false
    }

    /// A fixed pseudo-random sequence in [0, 1), so both sides see the same float32 data.
    static func uniform(_ count: Int, seed: UInt64) -> [Float] {
        var state = seed &* 6364136223846793005 &+ 1442695040888963407
        return (0..<count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(state >> 40) / Float(1 << 24)
        }
    }

    static let cases: [Case] = [
        Case(name: "docstring example", numBins: 4, epsilon: 0.01, data: [-1.5, 1.0, 3.4, 0.5, 0.0, 3.0, 1.3, 0.0],
             shape: [2, 4], batchSize: nil),
        Case(name: "ties: integers 0-9", numBins: 5, epsilon: 0.01,
             data: uniform(3000, seed: 1).map { ($0 * 10).rounded(.down) }, shape: [1500, 2], batchSize: nil),
        Case(name: "5000 values", numBins: 7, epsilon: 0.01, data: uniform(5000, seed: 2).map { $0 * 10 - 3 },
             shape: [5000], batchSize: nil),
        Case(name: "batches", numBins: 10, epsilon: 0.02,
             data: zip(uniform(3700, seed: 3), uniform(3700, seed: 4)).map { $0 + $1 }, shape: [3700, 1], batchSize: 700),
        Case(name: "dataset", numBins: 6, epsilon: 0.005, data: uniform(2000, seed: 5).map { $0 * $0 },
             shape: [1000, 2], batchSize: 300, viaDataset: true),
        Case(name: "coarse epsilon, more bins than summary points", numBins: 20, epsilon: 0.1,
             data: uniform(25, seed: 6), shape: [25], batchSize: nil),
        Case(name: "ties within one batch of 1200", numBins: 4, epsilon: 0.01,
             data: uniform(1200, seed: 7).map { ($0 * 6).rounded(.down) / 2 }, shape: [1200], batchSize: nil),
        Case(name: "ties across batches", numBins: 4, epsilon: 0.01,
             data: uniform(1200, seed: 7).map { ($0 * 6).rounded(.down) / 2 }, shape: [1200], batchSize: 400,
             tiesAcrossBatches: true),
    ]

    static let modes = ["int", "one_hot", "multi_hot", "count"]

    func testAdaptedBoundariesConfigAndOutputsMatchKeras() throws {
        let keras = try Self.kerasResults()
        XCTAssertEqual(keras.count, Self.cases.count)
        for (testCase, expected) in zip(Self.cases, keras) {
            let label = testCase.name
            let layer = Discretization(numBins: testCase.numBins, epsilon: testCase.epsilon)
            let data = Tensor(shape: testCase.shape, scalars: testCase.data)
            if let batchSize = testCase.batchSize {
                if testCase.viaDataset {
                    try layer.adapt(Dataset(x: [data], batchSize: batchSize))
                } else {
                    try layer.adapt(batches: Self.slices(data, batchSize: batchSize))
                }
            } else {
                try layer.adapt(data)
            }
            guard let kerasConfig = expected["config"]?.objectValue else { return XCTFail("\(label): \(expected)") }
            if testCase.tiesAcrossBatches {
                let kerasBoundaries = kerasConfig["bin_boundaries"]?.arrayValue?.compactMap(\.doubleValue) ?? []
                let keelBoundaries = layer.binBoundaries ?? []
                XCTAssertEqual(keelBoundaries.count, kerasBoundaries.count, "\(label): boundaries")
                for (keel, keras) in zip(keelBoundaries, kerasBoundaries) {
                    XCTAssertEqual(keel, keras, accuracy: 1e-5 * max(1, abs(keras)), "\(label): boundaries")
                }
                continue
            }
            XCTAssertEqual(layer.binBoundaries.map { JSONValue.array($0.map { .double($0) }) }, kerasConfig["bin_boundaries"],
                           "\(label): adapted boundaries")
            // The generated names count layers per process; everything else must be Keras's text.
            var keelConfig = layer.config
            keelConfig["name"] = kerasConfig["name"]
            XCTAssertEqual(JSONValue.object(keelConfig).serialized(), JSONValue.object(kerasConfig).serialized(),
                           "\(label): config after adapt")
            let probe = Tensor(shape: [3, 4], scalars: (0..<12).map { testCase.data[$0 % testCase.data.count] })
            for mode in Self.modes {
                var config = kerasConfig
                config["output_mode"] = .string(mode)
                let modeLayer = try Registries.layers.make("Discretization", config: config)
                let output = modeLayer(probe)
                guard let kerasOutput = expected["outputs"]?.objectValue?[mode]?.objectValue,
                      let shape = kerasOutput["shape"]?.arrayValue?.compactMap(\.intValue),
                      let values = kerasOutput["values"]?.arrayValue?.compactMap(\.doubleValue) else {
                    return XCTFail("\(label) \(mode): no Keras output")
                }
                XCTAssertEqual(output.shape, shape, "\(label) \(mode): shape")
                let keelValues = mode == "int" ? output.int32Scalars.map(Double.init) : output.scalars.map(Double.init)
                XCTAssertEqual(keelValues, values, "\(label) \(mode): outputs")
            }
        }
    }

    func testAdaptRefusesWhatKerasCannotAdapt() {
        XCTAssertThrowsError(try Discretization(binBoundaries: [0, 1]).adapt(Tensor(shape: [2], scalars: [0, 1])))
        XCTAssertThrowsError(try Discretization(numBins: 0).adapt(Tensor(shape: [2], scalars: [0, 1])))
        XCTAssertThrowsError(try Discretization(numBins: 3, epsilon: 0).adapt(Tensor(shape: [2], scalars: [0, 1])))
        XCTAssertThrowsError(try Registries.layers.make("Discretization", config: [:]), "neither bin_boundaries nor num_bins")
    }

    static func slices(_ data: Tensor, batchSize: Int) -> [Tensor] {
        let samples = data.shape[0]
        return stride(from: 0, to: samples, by: batchSize).map { start in
            let size = min(batchSize, samples - start)
            return data.slice(begin: [start] + data.shape.dropFirst().map { _ in 0 },
                              size: [size] + data.shape.dropFirst())
        }
    }

    /// Keras's adapted config and its outputs for the first 12 values, repeated if fewer (as [3, 4]), per case.
    static func kerasResults() throws -> [JSONObject] {
        let jobs = JSONValue.array(cases.map { testCase in
            ["num_bins": .int(testCase.numBins), "epsilon": .double(testCase.epsilon),
             "data": .array(testCase.data.map { .double(Double($0)) }), "shape": .array(testCase.shape.map { .int($0) }),
             "batch_size": testCase.batchSize.map { .int($0) } ?? .null]
        })
        return try KerasScriptResults.run(script, cases: jobs, marker: marker, what: "adapting Discretization")
    }

    static let marker = "KEEL-DISCRETIZATION "

    static let script = """
    import json, os, sys
    os.environ["KERAS_BACKEND"] = "jax"
    os.environ.setdefault("JAX_PLATFORMS", "cpu")
    import numpy as np
    import keras
    assert keras.__version__ == "3.15.1", keras.__version__
    results = []
    for case in json.load(open(sys.argv[1])):
        data = np.array(case["data"], dtype="float32").reshape(case["shape"])
        layer = keras.layers.Discretization(num_bins=case["num_bins"], epsilon=case["epsilon"])
        size = case["batch_size"]
        # Keras's adapt, step by step: its first line asks whether the data is a tf.data.Dataset,
        # which imports tensorflow (not in the venv); for arrays and lists it then does exactly this.
        layer.reset_state()
        for batch in ([data] if size is None else [data[i:i + size] for i in range(0, len(data), size)]):
            layer.update_state(batch)
        layer.finalize_state()
        config = layer.get_config()
        probe = np.resize(data.reshape(-1), 12).reshape(3, 4)
        outputs = {}
        for mode in ["int", "one_hot", "multi_hot", "count"]:
            out = np.asarray(keras.layers.Discretization.from_config({**config, "output_mode": mode})(probe))
            outputs[mode] = {"shape": list(out.shape), "values": out.reshape(-1).astype("float64").tolist()}
        results.append({"config": config, "outputs": outputs})
    print("KEEL-DISCRETIZATION " + json.dumps(results))
    """
}
