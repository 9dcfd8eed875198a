import Foundation
import XCTest
@testable import Keel

/// IntegerLookup's mask token, inverse lookup, encodings and adapt. Every expected value here
/// was confirmed by hand with Keras 3.15.1 on TensorFlow 2.21 (`keras.layers.IntegerLookup`,
/// which needs TensorFlow; Keel's tests do not).
final class IntegerLookupTests: XCTestCase {
    private let vocabulary = [3, 7, 12, 20]
    private let values = Tensor(shape: [2, 5], int32s: [12, 7, 0, 3, 40, 7, 40, 0, 3, 4])

    private func lookup(_ config: JSONObject) throws -> IntegerLookup {
        try IntegerLookup(config: config)
    }

    private func json(_ values: [Int]) -> JSONValue { .array(values.map { .int($0) }) }

    private func ints(_ shape: [Int], _ values: [Int32]) -> Tensor { Tensor(shape: shape, int32s: values) }

    private func assertClose(_ a: Tensor, _ shape: [Int], _ expected: [Float], _ what: String,
                             file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.shape, shape, what, file: file, line: line)
        XCTAssertEqual(a.count, expected.count, what, file: file, line: line)
        for (i, (x, y)) in zip(a.scalars, expected).enumerated() where abs(x - y) > 1e-5 {
            return XCTFail("\(what): element \(i) is \(x), expected \(y)", file: file, line: line)
        }
    }

    func testMaskTokenTakesIndexZeroAndShiftsTheOthersInIntMode() throws {
        let masked = try lookup(["vocabulary": json(vocabulary), "mask_token": 0])
        XCTAssertEqual(masked(values).int32Scalars, [4, 3, 0, 2, 1, 3, 1, 0, 2, 1])
        XCTAssertEqual(masked.getVocabulary(), [0, -1, 3, 7, 12, 20])
        XCTAssertEqual(masked.getVocabulary(includeSpecialTokens: false), vocabulary)
        XCTAssertEqual(masked.currentVocabularySize, 6)
        XCTAssertEqual(masked.config["vocabulary_size"], 6)
        XCTAssertEqual(masked.config["vocabulary"], [3, 7, 12, 20], "the config keeps the vocabulary as given")
        let twoOOV = try lookup(["vocabulary": json(vocabulary), "mask_token": 0, "num_oov_indices": 2])
        XCTAssertEqual(twoOOV(values).int32Scalars, [5, 4, 0, 3, 1, 4, 1, 0, 3, 1])
        XCTAssertEqual(twoOOV.getVocabulary(), [0, -1, -1, 3, 7, 12, 20])
        let fourOOV = try lookup(["vocabulary": json(vocabulary), "mask_token": 0, "num_oov_indices": 4])
        XCTAssertEqual(fourOOV(ints([1, 6], [-3, -2, 5, 6, 100, 0])).int32Scalars, [2, 3, 2, 3, 1, 0], "floormod after the mask index")
        // A vocabulary that starts with the special tokens (as getVocabulary returns it) means the same.
        let withSpecials = try lookup(["vocabulary": [0, -1, 3, 7, 12, 20], "mask_token": 0])
        XCTAssertEqual(withSpecials(values).int32Scalars, masked(values).int32Scalars)
        XCTAssertEqual(withSpecials.getVocabulary(), [0, -1, 3, 7, 12, 20])
    }

    func testEncodingsCountIndicesAndLeaveMaskedValuesOut() throws {
        // Outside int mode the mask takes no index: the size stays vocabulary + OOV indices.
        let multiHot = try lookup(["vocabulary": json(vocabulary), "mask_token": 0, "output_mode": "multi_hot"])
        assertClose(multiHot(values), [2, 5], [1, 1, 1, 1, 0, 1, 1, 1, 0, 0], "multi_hot with a mask")
        XCTAssertEqual(multiHot.getVocabulary(), [-1, 3, 7, 12, 20])
        let count = try lookup(["vocabulary": json(vocabulary), "mask_token": 0, "output_mode": "count"])
        assertClose(count(values), [2, 5], [1, 1, 1, 1, 0, 2, 1, 1, 0, 0], "count with a mask")
        let countTwoOOV = try lookup(["vocabulary": json(vocabulary), "num_oov_indices": 2, "output_mode": "count"])
        assertClose(countTwoOOV(values), [2, 6], [2, 0, 1, 1, 1, 0, 3, 0, 1, 1, 0, 0], "count with two OOV indices")
        // A rank-1 input is one sample for multi_hot and count.
        let oneSample = ints([4], [12, 7, 7, 99])
        assertClose(try lookup(["vocabulary": json(vocabulary), "output_mode": "multi_hot"])(oneSample), [5], [1, 0, 1, 1, 0], "multi_hot (4,)")
        assertClose(try lookup(["vocabulary": json(vocabulary), "output_mode": "count"])(oneSample), [5], [1, 0, 2, 1, 0], "count (4,)")
    }

    func testOneHotFollowsKerasShapeRules() throws {
        let oneHot = try lookup(["vocabulary": json(vocabulary), "output_mode": "one_hot"])
        let rows: [Float] = [0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0]
        assertClose(oneHot(ints([4], [12, 7, 0, 3])), [4, 5], rows, "one_hot of (4,)")
        assertClose(oneHot(ints([4, 1], [12, 7, 0, 3])), [4, 5], rows, "one_hot of (4, 1)")
        assertClose(oneHot(ints([2, 2], [12, 7, 0, 3])), [2, 2, 5], rows, "one_hot of (2, 2)")
        assertClose(oneHot(ints([1, 2, 2], [12, 7, 0, 3])), [1, 2, 2, 5], rows, "one_hot of (1, 2, 2)")
        XCTAssertEqual(try oneHot.outputShape(for: [[nil]]), [nil, 5])
        XCTAssertEqual(try oneHot.outputShape(for: [[nil, 1]]), [nil, 5])
        XCTAssertEqual(try oneHot.outputShape(for: [[nil, 3]]), [nil, 3, 5])
        let masked = try lookup(["vocabulary": json(vocabulary), "mask_token": 0, "output_mode": "one_hot"])
        assertClose(masked(ints([4], [12, 7, 0, 3])), [4, 5], [0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0],
                    "a masked value is a row of zeros")
        let multiHot = try lookup(["vocabulary": json(vocabulary), "output_mode": "multi_hot"])
        XCTAssertEqual(try multiHot.outputShape(for: [[nil, 7]]), [nil, 5])
        XCTAssertThrowsError(try lookup(["output_mode": "one_hot"]).outputShape(for: [[nil, 2]]), "one_hot without a vocabulary")
    }

    func testTFIDFWeighsCountsAndGivesOOVIndicesTheMeanWeight() throws {
        let weights: JSONValue = [0.25, 0.75, 0.6, 0.4]
        let tfIDF = try lookup(["vocabulary": json(vocabulary), "output_mode": "tf_idf", "idf_weights": weights])
        assertClose(tfIDF(values), [2, 5], [1.0, 0.25, 0.75, 0.6, 0, 1.5, 0.25, 0.75, 0, 0], "tf_idf")
        let withOOVWeight = try lookup(["vocabulary": [-1, 3, 7, 12, 20], "output_mode": "tf_idf", "idf_weights": [0.9, 0.25, 0.75, 0.6, 0.4]])
        assertClose(withOOVWeight(values), [2, 5], [1.8, 0.25, 0.75, 0.6, 0, 2.7, 0.25, 0.75, 0, 0], "tf_idf with the OOV weight given")
        let masked = try lookup(["vocabulary": json(vocabulary), "mask_token": 0, "output_mode": "tf-idf", "idf_weights": weights])
        assertClose(masked(values), [2, 5], [0.5, 0.25, 0.75, 0.6, 0, 1.0, 0.25, 0.75, 0, 0], "tf_idf with a mask")
        XCTAssertEqual(masked.config["output_mode"], "tf_idf")
    }

    func testInvertMapsIndicesBackAndOutOfRangeToTheOOVToken() throws {
        let indices = ints([3, 3], [1, 3, 4, 4, 0, 2, 9, -2, 5])
        let inverse = try lookup(["vocabulary": json(vocabulary), "invert": true])
        XCTAssertEqual(inverse(indices).int32Scalars, [3, 12, 20, 20, -1, 7, -1, -1, -1])
        XCTAssertEqual(inverse.outputDType(for: [.int32]), .int32)
        let maskedInverse = try lookup(["vocabulary": json(vocabulary), "invert": true, "mask_token": 0])
        XCTAssertEqual(maskedInverse(indices).int32Scalars, [-1, 7, 12, 12, 0, 3, -1, -1, 20])
        let twoOOV = try lookup(["vocabulary": json(vocabulary), "invert": true, "mask_token": 0, "num_oov_indices": 2, "oov_token": -5])
        XCTAssertEqual(twoOOV(ints([8], [0, 1, 2, 3, 4, 5, 6, 7])).int32Scalars, [0, -5, -5, 3, 7, 12, 20, -5])
        XCTAssertEqual(twoOOV.getVocabulary(), [0, -5, -5, 3, 7, 12, 20])

        // The inverse of a lookup built from its getVocabulary() returns every known value.
        let forward = try lookup(["vocabulary": json(vocabulary), "mask_token": 0])
        let backward = try lookup(["vocabulary": json(forward.getVocabulary()), "mask_token": 0, "invert": true])
        XCTAssertEqual(backward(forward(values)).int32Scalars, [12, 7, 0, 3, -1, 7, -1, 0, 3, -1])
    }

    /// Keras's order: most frequent first, ties by the larger value first; the mask and OOV
    /// tokens (here 0 and -1) are never learned; max_tokens counts the special indices.
    func testAdaptOrdersByFrequencyThenByValueDescending() throws {
        let data = ints([4, 4], [5, 5, 9, 2, 9, 1, 1, 7, 2, 2, -1, 0, 8, 8, 8, 3])
        let expectations: [(JSONObject, [Int])] = [
            ([:], [-1, 8, 2, 9, 5, 1, 7, 3, 0]),
            (["mask_token": 0], [0, -1, 8, 2, 9, 5, 1, 7, 3]),
            (["max_tokens": 4], [-1, 8, 2, 9]),
            (["max_tokens": 4, "mask_token": 0], [0, -1, 8, 2]),
            (["num_oov_indices": 2, "max_tokens": 5], [-1, -1, 8, 2, 9]),
            (["output_mode": "multi_hot", "mask_token": 0, "max_tokens": 4], [-1, 8, 2, 9]),
        ]
        for (config, expected) in expectations {
            let layer = try lookup(config)
            try layer.adapt(data)
            XCTAssertEqual(layer.getVocabulary(), expected, "\(config)")
            XCTAssertEqual(layer.currentVocabularySize, expected.count, "\(config)")
            XCTAssertEqual(layer.config["vocabulary_size"], .int(expected.count), "\(config)")
        }
        let adapted = try lookup([:])
        try adapted.adapt(data)
        XCTAssertEqual(adapted(ints([1, 4], [8, 0, 3, 6])).int32Scalars, [1, 8, 7, 0])
        // A rank-1 array is one value per sample; adapting again learns afresh.
        let again = try lookup([:])
        try again.adapt(ints([6], [4, 4, 6, 6, 1, 9]))
        XCTAssertEqual(again.getVocabulary(), [-1, 6, 4, 9, 1])
        try again.adapt(ints([1, 2], [1, 2]))
        XCTAssertEqual(again.getVocabulary(), [-1, 2, 1])
        XCTAssertThrowsError(try lookup(["vocabulary": json(vocabulary)]).adapt(data), "adapted a given vocabulary") { error in
            XCTAssertTrue("\(error)".contains("adapt"), "\(error)")
        }
    }

    func testAdaptLearnsInverseDocumentFrequencies() throws {
        let data = ints([4, 4], [5, 5, 9, 2, 9, 1, 1, 7, 2, 2, -1, 0, 8, 8, 8, 3])
        let layer = try lookup(["output_mode": "tf_idf"])
        try layer.adapt(data)
        let expected: [Float] = [
            0, 0, 0.8472978, 0.8472978, 2.1972246, 0, 0, 0, 0,
            0, 0, 0, 0.8472978, 0, 2.1972246, 1.0986123, 0, 0,
            1.0357838, 0, 1.6945957, 0, 0, 0, 0, 0, 1.0986123,
            0, 3.2958369, 0, 0, 0, 0, 0, 1.0986123, 0,
        ]
        assertClose(layer(data), [4, 9], expected, "tf_idf after adapt")
        // A rank-1 array: every value its own document.
        let single = try lookup(["output_mode": "tf_idf"])
        try single.adapt(ints([4], [4, 4, 6, 1]))
        assertClose(single(ints([4], [9, 4, 6, 1])), [4], [1.0148408, 0.8472978, 1.0986123, 1.0986123], "idf weights of (4,) data")
    }

    func testConfigRoundTripsWithMaskInvertAndWeights() throws {
        let configs: [JSONObject] = [
            ["vocabulary": [4, 1, 9], "mask_token": 0, "num_oov_indices": 2, "oov_token": -7],
            ["vocabulary": [4, 1, 9], "mask_token": 0, "invert": true],
            ["vocabulary": [4, 1, 9], "output_mode": "tf_idf", "idf_weights": [0.5, 1.5, 2.5], "max_tokens": 10],
            ["output_mode": "count", "max_tokens": 5],
        ]
        for config in configs {
            let layer = try lookup(config)
            let again = try IntegerLookup(config: layer.config)
            XCTAssertEqual(again.config, layer.config, "\(config)")
        }
        XCTAssertEqual(try lookup([:]).config.keys,
                       ["name", "trainable", "dtype", "invert", "max_tokens", "num_oov_indices", "oov_token", "mask_token",
                        "output_mode", "sparse", "pad_to_max_tokens", "vocabulary_dtype", "idf_weights", "vocabulary",
                        "vocabulary_size", "oov_method", "salt"])
    }

    /// Keras keeps an adapted vocabulary outside the config; Keel writes it into the config,
    /// so the lookup survives both formats.
    func testAnAdaptedLookupSurvivesSaving() throws {
        let data = ints([4, 4], [5, 5, 9, 2, 9, 1, 1, 7, 2, 2, -1, 0, 8, 8, 8, 3])
        for mode in ["count", "int", "tf_idf"] {
            let input = Input(shape: [4], dtype: .int32)
            let layer = try lookup(["output_mode": .string(mode), "mask_token": 0, "max_tokens": 6])
            try layer.adapt(data)
            let model = try Model(inputs: [input], outputs: [try layer(input)], name: "adapted_lookup")
            let expected = model.forward([data])[0]
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("keel-lookup-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            for format in ["h5", "keras"] {
                let path = directory.appendingPathComponent("model.\(format)").path
                try model.save(to: path)
                let loaded = try Model.load(from: path)
                let output = loaded.forward([data])[0]
                XCTAssertEqual(output.shape, expected.shape, "\(mode) .\(format)")
                XCTAssertEqual(output.scalars, expected.scalars, "\(mode) .\(format): outputs after loading")
                let loadedLookup = try XCTUnwrap(loaded.layers.last as? IntegerLookup)
                XCTAssertEqual(loadedLookup.getVocabulary(), layer.getVocabulary(), "\(mode) .\(format)")
            }
        }
    }

    func testBadConfigsAreRefusedWithTheirReason() {
        let refused: [(JSONObject, String)] = [
            (["vocabulary": [3, 7, 12], "mask_token": 3], "mask_token"),
            (["vocabulary": [1, 1, 2]], "repeated"),
            (["vocabulary": []], "at least one entry"),
            (["vocabulary": [3, 7, 12, 20], "max_tokens": 4], "max_tokens"),
            (["max_tokens": 1], "max_tokens"),
            (["vocabulary": [3, 7], "invert": true, "output_mode": "count"], "invert"),
            (["vocabulary": [3, 7], "output_mode": "tf_idf"], "idf_weights"),
            (["vocabulary": [3, 7], "idf_weights": [1.0, 2.0]], "idf_weights"),
            (["vocabulary": [3, 7], "output_mode": "tf_idf", "idf_weights": [1.0]], "idf_weights"),
            (["num_oov_indices": -1], "num_oov_indices"),
            (["output_mode": "sideways"], "output_mode"),
            (["vocabulary": nil, "vocabulary_size": 9], "vocabulary.txt"),
            (["sparse": true, "output_mode": "count"], "sparse"),
        ]
        for (config, mention) in refused {
            XCTAssertThrowsError(try IntegerLookup(config: config), "\(config)") { error in
                XCTAssertTrue(error is KeelError, "\(config): \(error)")
                XCTAssertTrue("\(error)".contains(mention), "\(config): \(error)")
            }
        }
    }
}
