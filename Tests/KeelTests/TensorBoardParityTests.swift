import Foundation
import XCTest
import Keel
import KeelTestSupport

/// The TensorBoard callback against Keras 3's own (TensorFlow backend) on the same fit, both
/// logs read back by TensorBoard's EventAccumulator: the same runs, tags, plugins and steps
/// (with a batch-level `update_freq` and with "epoch"), Keel's scalars equal to its History,
/// and its histograms and weight images equal to what TensorFlow computes from Keel's weights.
final class TensorBoardParityTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws { directory = ProjectPaths.temporaryDirectory("keel-tensorboard-parity") }
    override func tearDown() { try? FileManager.default.removeItem(at: directory) }

    private func path(_ relative: String) -> String { directory.appendingPathComponent(relative).path }

    private func data() -> (x: Tensor, y: Tensor, vx: Tensor, vy: Tensor) {
        func images(_ count: Int, _ phase: Double) -> Tensor {
            Tensor(shape: [count, 6, 6, 1], scalars: (0..<(count * 36)).map { Float(sin(Double($0) * 0.37 + phase)) })
        }
        func labels(_ count: Int, _ offset: Int) -> Tensor { Tensor(shape: [count], scalars: (0..<count).map { Float(($0 + offset) % 3) }) }
        return (images(20, 0), labels(20, 0), images(7, 1), labels(7, 1))
    }

    private func model() throws -> Model {
        let model = try Sequential([InputLayer(batchShape: [nil, 6, 6, 1]), Conv2D(filters: 2, kernelSize: [3, 3], name: "conv2d"),
                                    Flatten(name: "flatten"), Dense(units: 3, name: "dense")], name: "sequential")
        try model.compile(optimizer: SGD(learningRate: 0.01), loss: SparseCategoricalCrossentropy(fromLogits: true), metrics: ["accuracy"])
        return model
    }

    private func json(_ result: ProcessResult, _ what: String) throws -> [String: Any] {
        XCTAssertEqual(result.status, 0, "\(what): \(result.stderr)")
        let line = result.stdout.split(separator: "\n").last.map(String.init) ?? ""
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(what): \(result.stdout)")
    }

    func testKeelWritesWhatKerasWritesForTheSameFit() throws {
        let (x, y, vx, vy) = data()
        let frequencies: [(label: String, keras: String, keel: TensorBoardUpdateFrequency)] = [("every2", "2", .batches(2)), ("epoch", "epoch", .epoch)]
        var histories: [String: History] = [:]
        for frequency in frequencies {
            let model = try model()
            let board = TensorBoard(logDirectory: path("keel/\(frequency.label)"), histogramFrequency: 1, writeImages: true,
                                    writeStepsPerSecond: true, updateFrequency: frequency.keel)
            histories[frequency.label] = try model.fit(x, y, batchSize: 8, epochs: 2, verbose: 0, callbacks: [board],
                                                       validationData: (vx, vy), shuffle: false)
        }
        try FileManager.default.createDirectory(atPath: path("data"), withIntermediateDirectories: true)
        for (name, tensor) in [("x", x), ("y", y), ("vx", vx), ("vy", vy)] { try NPY.write(tensor.arrayData, to: path("data/\(name).npy")) }
        var kerasArguments = [path("data")], readArguments: [String] = []
        for frequency in frequencies {
            let keel = path("keel/" + frequency.label), keras = path("keras/" + frequency.label)
            kerasArguments.append(frequency.keras + "=" + keras)
            readArguments += ["keel-" + frequency.label + "=" + keel, "keras-" + frequency.label + "=" + keras]
        }
        let keras = try runPython(TensorBoardScripts.kerasFit, arguments: kerasArguments)
        XCTAssertEqual(keras.status, 0, keras.stderr)
        let logs = try json(try runPython(TensorBoardScripts.readLogs, arguments: readArguments), "EventAccumulator")

        for frequency in frequencies {
            let ours = try XCTUnwrap(logs["keel-\(frequency.label)"] as? [String: Any])
            let theirs = try XCTUnwrap(logs["keras-\(frequency.label)"] as? [String: Any])
            XCTAssertEqual(Set(ours.keys), ["train", "validation"], frequency.label)
            XCTAssertEqual(Set(ours.keys), Set(theirs.keys), frequency.label)
            for run in theirs.keys.sorted() {
                let ourRun = try XCTUnwrap(ours[run] as? [String: Any]), theirRun = try XCTUnwrap(theirs[run] as? [String: Any])
                let ourTags = try XCTUnwrap(ourRun["tags"] as? [String: [String: Any]])
                let theirTags = try XCTUnwrap(theirRun["tags"] as? [String: [String: Any]])
                XCTAssertEqual(ourTags.keys.sorted(), theirTags.keys.sorted(), "\(frequency.label)/\(run): tags")
                XCTAssertEqual((ourRun["other"] as? [String: Any])?.keys.sorted(), (theirRun["other"] as? [String: Any])?.keys.sorted(),
                               "\(frequency.label)/\(run): graphs and other kinds")
                for (tag, theirEntry) in theirTags {
                    guard let ourEntry = ourTags[tag] else { continue }
                    let label = "\(frequency.label)/\(run)/\(tag)"
                    XCTAssertEqual(ourEntry["plugin"] as? String, theirEntry["plugin"] as? String, label)
                    XCTAssertEqual(ourEntry["steps"] as? [Int], theirEntry["steps"] as? [Int], label)
                    XCTAssertEqual(ourEntry["shape"] as? [Int], theirEntry["shape"] as? [Int], label)
                    XCTAssertEqual(ourEntry["image"] as? [Int], theirEntry["image"] as? [Int], label)
                }
            }
            // Keel's epoch scalars are its History's numbers (as float32), at the epochs written.
            let history = try XCTUnwrap(histories[frequency.label]).history
            for (run, prefix) in [("train", ""), ("validation", "val_")] {
                let tags = try XCTUnwrap((ours[run] as? [String: Any])?["tags"] as? [String: [String: Any]])
                for metric in ["loss", "accuracy"] {
                    let entry = try XCTUnwrap(tags["epoch_\(metric)"], "\(run)/epoch_\(metric)")
                    let steps = try XCTUnwrap(entry["steps"] as? [Int]), values = try XCTUnwrap(entry["values"] as? [Double])
                    let recorded = try XCTUnwrap(history[prefix + metric])
                    XCTAssertFalse(steps.isEmpty)
                    for (step, value) in zip(steps, values) {
                        XCTAssertEqual(Float(value), Float(recorded[step]), "\(frequency.label) \(run) epoch_\(metric) at \(step)")
                    }
                }
            }
        }
        // A batch-level update_freq of 2 writes batch scalars at global batches 2, 4, 6 and, as
        // Keras's record_if does, the epoch summaries only where the epoch's last batch is even.
        let every2 = try XCTUnwrap((logs["keel-every2"] as? [String: Any])?["train"] as? [String: Any])
        let trainTags = try XCTUnwrap(every2["tags"] as? [String: [String: Any]])
        XCTAssertEqual(trainTags["batch_loss"]?["steps"] as? [Int], [2, 4, 6])
        XCTAssertEqual(trainTags["epoch_loss"]?["steps"] as? [Int], [1])
    }

    func testHistogramsAndWeightImagesAreWhatTensorFlowMakesOfKeelsWeights() throws {
        let (x, y, _, _) = data()
        let model = try model()
        let board = TensorBoard(logDirectory: path("keel"), histogramFrequency: 1, writeImages: true)
        try model.fit(x, y, batchSize: 8, epochs: 1, verbose: 0, callbacks: [board], shuffle: false)
        var arguments = [path("keel/train")]
        for layer in model.layers {
            for weight in layer.weights {
                let file = path("\(arguments.count).npy")
                try NPY.write(weight.value.arrayData, to: file)
                arguments.append("\(weight.path)=\(file)")
            }
        }
        XCTAssertEqual(arguments.count, 5, "conv2d and dense kernels and biases")
        let result = try json(try runPython(TensorBoardScripts.weightSummaries, arguments: arguments), "weight summaries")
        XCTAssertEqual(result.count, 4)
        for (name, value) in result {
            let entry = try XCTUnwrap(value as? [String: Any])
            XCTAssertLessThan(try XCTUnwrap(entry["histogram_difference"] as? Double), 1e-12, name)
            XCTAssertEqual(entry["histogram_counts_equal"] as? Bool, true, name)
            XCTAssertEqual(entry["image_sizes_equal"] as? Bool, true, name)
            XCTAssertEqual(entry["image_pixels_equal"] as? Bool, true, name)
        }
    }
}
