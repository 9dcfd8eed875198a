import Foundation
import KeelIO
import KeelTestSupport
import XCTest
@testable import Keel

/// The text, timeseries and CSV readers and `splitDataset`, against Keras and NumPy where they
/// define the answer.
final class DataReaderTests: XCTestCase {
    private func python(_ script: String, _ arguments: [String] = []) throws -> Any {
        let run = try runPython(script, arguments: arguments)
        guard run.status == 0 else { throw KeelError("python script", expected: "success", found: run.stderr) }
        // Keras prints "Using N files for ..." even when not verbose: the JSON is the last line.
        let last = run.stdout.split(separator: "\n").last.map(String.init) ?? ""
        return try JSONSerialization.jsonObject(with: Data(last.utf8), options: [.fragmentsAllowed])
    }

    func testShufflesEqualNumPyLegacyAndPythonRandom() throws {
        let expected = try python("""
        import json, random, numpy as np
        out = {}
        for seed in (0, 1, 1234, 999999, 2**32 - 1):
            x = list(range(40)); np.random.RandomState(seed).shuffle(x); out["np%d" % seed] = x
            y = list(range(1000)); random.seed(seed); random.shuffle(y); out["py%d" % seed] = y
        out["raw"] = [int(v) for v in np.random.RandomState(5).randint(0, 2**32, size=3, dtype=np.uint64)]
        print(json.dumps(out))
        """) as! [String: [Int]]
        for seed: UInt32 in [0, 1, 1234, 999_999, UInt32.max] {
            var values = Array(0..<40)
            var generator = MersenneTwister(numpySeed: seed)
            generator.numpyShuffle(&values)
            XCTAssertEqual(values, expected["np\(seed)"], "numpy seed \(seed)")
            var pythonValues = Array(0..<1000)
            var python = MersenneTwister(pythonSeed: UInt64(seed))
            python.pythonShuffle(&pythonValues)
            XCTAssertEqual(pythonValues, expected["py\(seed)"], "python seed \(seed)")
        }
    }

    func testTimeseriesWindowsEqualKeras() throws {
        let cases: [(String, [String: Int?], Bool)] = [
            ("basic", ["sequence_length": 4, "sequence_stride": 1, "sampling_rate": 1, "batch_size": 5], true),
            ("strided", ["sequence_length": 3, "sequence_stride": 2, "sampling_rate": 3, "batch_size": 4, "start_index": 2, "end_index": 27], true),
            ("unbatched", ["sequence_length": 5, "sequence_stride": 3, "sampling_rate": 2, "batch_size": nil], false),
        ]
        let data = Tensor(shape: [30, 2], scalars: (0..<60).map { Float($0) * 0.5 - 3 })
        let targets = Tensor(shape: [30], int32s: (0..<30).map { Int32($0 * 10) })
        for (name, arguments, withTargets) in cases {
            let keywordArguments = arguments.map { "\($0.key)=\($0.value.map(String.init) ?? "None")" }.joined(separator: ", ")
            let expected = try python("""
            import os, json
            os.environ["KERAS_BACKEND"] = "tensorflow"; os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
            import numpy as np, keras
            data = (np.arange(60, dtype=np.float32) * 0.5 - 3).reshape(30, 2)
            targets = np.arange(30, dtype=np.int32) * 10 if \(withTargets ? "True" : "False") else None
            ds = keras.utils.timeseries_dataset_from_array(data, targets, shuffle=False, \(keywordArguments))
            out = []
            for element in ds:
                if targets is None: out.append([element.numpy().tolist()])
                else: out.append([element[0].numpy().tolist(), element[1].numpy().tolist()])
            print(json.dumps(out))
            """) as! [[Any]]
            let keel = try timeseriesDatasetFromArray(
                data: data, targets: withTargets ? targets : nil, sequenceLength: arguments["sequence_length"]!!,
                sequenceStride: arguments["sequence_stride"]!!, samplingRate: arguments["sampling_rate"]!!,
                batchSize: arguments["batch_size"] ?? nil, startIndex: arguments["start_index"] ?? nil,
                endIndex: arguments["end_index"] ?? nil).collect()
            XCTAssertEqual(keel.count, expected.count, name)
            for (element, reference) in zip(keel, expected) {
                let parts: [DataElement]
                if case .tuple(let tuple) = element { parts = tuple } else { parts = [element] }
                XCTAssertEqual(parts.count, reference.count, name)
                let windows = try parts[0].tensor("windows")
                XCTAssertEqual(windows.scalars.map(Double.init), flatten(reference[0]), name)
                if parts.count == 2 {
                    let target = try parts[1].tensor("targets")
                    XCTAssertEqual(target.dtype, .int32)
                    XCTAssertEqual(target.int32Scalars.map(Double.init), flatten(reference[1]), name)
                }
            }
        }
        // Shuffled: Keras's windows (the same set), in another order.
        let shuffled = try timeseriesDatasetFromArray(data: data, targets: targets, sequenceLength: 4, batchSize: nil,
                                                      shuffle: true, seed: 5).collect()
        let targetsSeen = try shuffled.map { element -> Int32 in
            guard case .tuple(let parts) = element else { return -1 }
            return try parts[1].tensor("target").int32Scalars[0]
        }
        XCTAssertEqual(targetsSeen.sorted(), (0..<27).map { Int32($0 * 10) })
        XCTAssertNotEqual(targetsSeen, targetsSeen.sorted())
        XCTAssertThrowsError(try timeseriesDatasetFromArray(data: data, targets: nil, sequenceLength: 3, samplingRate: 30))
        XCTAssertThrowsError(try timeseriesDatasetFromArray(data: data, targets: nil, sequenceLength: 3, startIndex: 31))
    }

    private func flatten(_ value: Any) -> [Double] {
        if let list = value as? [Any] { return list.flatMap(flatten) }
        return [(value as! NSNumber).doubleValue]
    }

    func testTextDatasetFollowsKerasOrderLabelsAndSplit() throws {
        let root = ProjectPaths.temporaryDirectory("keel-text-folder")
        defer { try? FileManager.default.removeItem(at: root) }
        let files = ["neg/a.txt": "bad film", "neg/b.txt": "dull", "neg/c.TXT": "boring plot", "pos/x.txt": "great",
                     "pos/y.txt": "lovely ☀︎ day", "pos/deep/z.txt": "fine", "pos/skip.md": "not text", "zeta/.q.txt": "hidden"]
        for (path, text) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        let expected = try python("""
        import os, sys, json
        os.environ["KERAS_BACKEND"] = "tensorflow"; os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
        import keras
        root = sys.argv[1]
        def export(ds):
            return {"texts": [e[0].numpy().decode() for e in ds], "labels": [int(e[1].numpy()) for e in ds], "classes": ds.class_names}
        plain = keras.utils.text_dataset_from_directory(root, batch_size=None, shuffle=False, verbose=False)
        train, val = keras.utils.text_dataset_from_directory(root, batch_size=None, seed=77, validation_split=0.4,
                                                             subset="both", verbose=False)
        short = keras.utils.text_dataset_from_directory(root, batch_size=None, shuffle=False, max_length=4, verbose=False)
        print(json.dumps({"plain": export(plain), "val": export(val), "short": export(short),
                          "train_count": len(list(train)), "train_labels": sorted(int(e[1].numpy()) for e in train)}))
        """, [root.path]) as! [String: Any]
        func export(_ dataset: DirectoryDataset) throws -> (texts: [String], labels: [Int]) {
            let elements = try dataset.dataset.collect()
            return try (elements.map { element in
                guard case .tuple(let parts) = element, case .strings(let text) = parts[0] else { return "?" }
                return text.strings[0]
            }, elements.map { element in
                guard case .tuple(let parts) = element else { return -1 }
                return Int(try parts[1].tensor("label").int32Scalars[0])
            })
        }
        let plain = try textDatasetFromDirectory(root.path, batchSize: nil, shuffle: false)
        let keras = expected["plain"] as! [String: Any]
        XCTAssertEqual(plain.classNames, keras["classes"] as? [String])
        let (texts, labels) = try export(plain)
        XCTAssertEqual(texts, keras["texts"] as? [String])
        XCTAssertEqual(labels, keras["labels"] as? [Int])

        let (training, validation) = try textDatasetFromDirectory(root.path, batchSize: nil, seed: 77, validationSplit: 0.4, subset: .both)
        let kerasValidation = expected["val"] as! [String: Any]
        XCTAssertEqual(try export(validation).texts, kerasValidation["texts"] as? [String])
        XCTAssertEqual(try export(validation).labels, kerasValidation["labels"] as? [Int])
        XCTAssertEqual(try export(training).labels.sorted(), expected["train_labels"] as? [Int])

        let short = try textDatasetFromDirectory(root.path, batchSize: nil, maxLength: 4, shuffle: false)
        XCTAssertEqual(try export(short).texts, (expected["short"] as! [String: Any])["texts"] as? [String])

        try Data([0x66, 0xFF, 0xFE]).write(to: root.appendingPathComponent("neg/latin.txt"))
        let broken = try textDatasetFromDirectory(root.path, batchSize: 2, shuffle: false)
        XCTAssertThrowsError(try broken.dataset.collect()) { XCTAssert("\($0)".contains("latin.txt"), "\($0)") }
    }

    func testCSVDatasetTypesColumnsAndNamesBadFields() throws {
        let directory = ProjectPaths.temporaryDirectory("keel-csv-dataset")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("data.csv").path
        try "id,height,name,label\n1,1.5,ann,0\n2,,\"bob, jr\",1\n3,2.25,cy,1\n".write(toFile: path, atomically: true, encoding: .utf8)

        let typed = try csvDataset(path: path, columnDefaults: [.int32(0), .float32(-1), .string("?"), .required(.int32)],
                                   labelColumn: "label", batchSize: 2).collect()
        XCTAssertEqual(typed.count, 2)
        guard case .tuple(let first) = typed[0], case .dict(let features) = first[0] else { return XCTFail("\(typed[0].kind)") }
        XCTAssertEqual(features.map(\.key), ["id", "height", "name"])
        XCTAssertEqual(try first[0]["id"]!.tensor("id").int32Scalars, [1, 2])
        XCTAssertEqual(try first[0]["height"]!.tensor("height").scalars, [1.5, -1])
        guard case .strings(let names) = first[0]["name"]! else { return XCTFail("names") }
        XCTAssertEqual(names.strings, ["ann", "bob, jr"])
        XCTAssertEqual(try first[1].tensor("label").int32Scalars, [0, 1])

        // Inferred types, a selection, no header.
        let selected = try csvDataset(path: path, selectColumns: ["id", "name"]).collect()
        XCTAssertEqual(selected.count, 3)
        XCTAssertEqual(try selected[2]["id"]!.tensor("id").dtype, .int32)
        let headless = try csvDataset(path: path, header: false, selectColumns: ["column_1", "column_4"]).collect()
        XCTAssertEqual(headless.count, 4)
        guard case .strings(let firstField) = headless[0]["column_1"]! else { return XCTFail("column_1 is text (its header)") }
        XCTAssertEqual(firstField.strings, ["id"])

        // Bad fields name the file, the row and the column.
        XCTAssertThrowsError(try csvDataset(path: path, columnDefaults: [.required(.int32), .required(.float32), .required(.string), .required(.int32)])) {
            XCTAssert("\($0)".contains("row 3") && "\($0)".contains("'height'") && "\($0)".contains("data.csv"), "\($0)")
        }
        XCTAssertThrowsError(try csvDataset(path: path, columnDefaults: [.required(.int32), .float32(0), .float32(0), .required(.int32)])) {
            XCTAssert("\($0)".contains("'name'") && "\($0)".contains("'ann'") && "\($0)".contains("row 2"), "\($0)")
        }
        try "a,b\n1,2\n3\n".write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try csvDataset(path: path)) { XCTAssert("\($0)".contains("row 3") || "\($0)".contains("line 3"), "\($0)") }
        XCTAssertThrowsError(try csvDataset(path: path + ".missing"))
    }

    func testSplitDatasetEqualsKerasSplitForTheSameSeed() throws {
        let expected = try python("""
        import os, json
        os.environ["KERAS_BACKEND"] = "tensorflow"; os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
        import numpy as np, keras
        data = np.arange(20, dtype=np.float32)
        out = {}
        for tag, kwargs in {"frac": dict(left_size=0.75), "ints": dict(left_size=5, right_size=7), "right": dict(right_size=0.35),
                            "shuffled": dict(left_size=0.6, shuffle=True, seed=21)}.items():
            left, right = keras.utils.split_dataset(data, **kwargs)
            out[tag] = [[float(x.numpy()) for x in left], [float(x.numpy()) for x in right]]
        print(json.dumps(out))
        """) as! [String: [[Double]]]
        let cases: [(String, SplitSize?, SplitSize?, Bool, Int?)] = [
            ("frac", 0.75, nil, false, nil), ("ints", 5, 7, false, nil), ("right", nil, 0.35, false, nil), ("shuffled", 0.6, nil, true, 21),
        ]
        for (tag, left, right, shuffle, seed) in cases {
            let data = try Dataset.fromTensorSlices(.tensor(Tensor(shape: [20], scalars: (0..<20).map(Float.init))))
            let (l, r) = try splitDataset(data, leftSize: left, rightSize: right, shuffle: shuffle, seed: seed)
            let values = try [l, r].map { try $0.collect().map { Double(try $0.tensor("x").scalar) } }
            XCTAssertEqual(values, expected[tag], tag)
        }
        let data = try Dataset.fromTensorSlices(.tensor(Tensor(shape: [4], scalars: [1, 2, 3, 4])))
        XCTAssertThrowsError(try splitDataset(data))
        XCTAssertThrowsError(try splitDataset(data, leftSize: 4))
        XCTAssertThrowsError(try splitDataset(data, leftSize: 0.7, rightSize: 0.5))
        XCTAssertThrowsError(try splitDataset(data, leftSize: 3, rightSize: 3))
    }
}
