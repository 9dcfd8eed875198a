import Foundation
import KeelIO
import KeelTestSupport
import XCTest
@testable import Keel

/// `imageDatasetFromDirectory` against Keras's `image_dataset_from_directory` on a folder of PNGs
/// and JPEGs that Pillow writes: class names, file order, subsets, labels and pixels.
final class ImageDatasetTests: XCTestCase {
    /// Writes the folder (argv[1]), runs Keras (TensorFlow backend) in several configurations and
    /// saves, per configuration, the file paths, labels, class names (JSON) and images (.npy).
    static let script = """
    import sys, json, os
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
    os.environ["KERAS_BACKEND"] = "tensorflow"
    import numpy as np
    from PIL import Image
    import keras
    from keras.src.utils import dataset_utils
    root, out = sys.argv[1], sys.argv[2]
    rng = np.random.default_rng(11)
    def picture(h, w, c):
        y, x = np.mgrid[0:h, 0:w]
        planes = [np.sin(x / (2.0 + k) + y / 5.0) * 70 + 120 + rng.integers(-25, 25, (h, w)) for k in range(c)]
        return np.clip(np.stack(planes, -1), 0, 255).astype(np.uint8)
    files = {"cats": [("c1.png", 9, 12, 3), ("c2.jpg", 14, 10, 3), ("C3.PNG", 7, 7, 1), ("c4.jpeg", 10, 16, 1), ("deep/c5.png", 8, 11, 3)],
             "dogs": [("d1.jpg", 12, 12, 3), ("d2.png", 6, 9, 1), ("d3.png", 13, 8, 3), ("d4.jpg", 9, 15, 1)],
             "birds": [("b1.png", 10, 10, 3), ("b2.jpg", 11, 7, 3), ("b3.png", 12, 9, 1), (".b4.png", 5, 6, 3)]}
    for label, entries in files.items():
        for name, h, w, c in entries:
            path = os.path.join(root, label, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            pixels = picture(h, w, c)
            Image.fromarray(pixels[:, :, 0] if c == 1 else pixels).save(path, **({"quality": 92} if name.lower().endswith(("jpg", "jpeg")) else {}))
    open(os.path.join(root, "cats", "notes.txt"), "w").write("not an image")
    os.makedirs(os.path.join(root, ".hidden"), exist_ok=True)
    Image.fromarray(picture(4, 4, 3)).save(os.path.join(root, ".hidden", "h.png"))
    def export(tag, ds, labelled=True):
        images, labels = [], []
        for element in ds:
            if labelled:
                images.append(element[0].numpy()); labels.append(element[1].numpy().tolist())
            else:
                images.append(element.numpy())
        np.save(os.path.join(out, tag + ".npy"), np.stack(images).astype(np.float32))
        return {"paths": list(ds.file_paths), "labels": labels, "class_names": getattr(ds, "class_names", None)}
    result = {}
    common = dict(batch_size=None, image_size=(8, 10), verbose=False)
    result["rgb"] = export("rgb", keras.utils.image_dataset_from_directory(root, shuffle=False, **common))
    result["gray_categorical"] = export("gray_categorical", keras.utils.image_dataset_from_directory(
        root, shuffle=False, color_mode="grayscale", label_mode="categorical", **common))
    result["crop_nearest"] = export("crop_nearest", keras.utils.image_dataset_from_directory(
        root, shuffle=False, interpolation="nearest", crop_to_aspect_ratio=True, class_names=["dogs", "birds"], **common))
    train, val = keras.utils.image_dataset_from_directory(root, shuffle=True, seed=1234, validation_split=0.3, subset="both", **common)
    result["train"] = export("train", train)
    result["val"] = export("val", val)
    paths, labels, names = dataset_utils.index_directory(root, "inferred", formats=(".bmp", ".gif", ".jpeg", ".jpg", ".png"),
                                                         shuffle=True, seed=1234, verbose=False)
    result["index_1234"] = {"paths": paths, "labels": labels.tolist(), "class_names": names}
    json.dump(result, open(os.path.join(out, "result.json"), "w"))
    """

    private static var fixture: (root: URL, out: URL, result: [String: [String: Any]])?

    private func prepared() throws -> (root: URL, out: URL, result: [String: [String: Any]]) {
        if let fixture = Self.fixture { return fixture }
        let root = ProjectPaths.temporaryDirectory("keel-image-folder"), out = ProjectPaths.temporaryDirectory("keel-image-keras")
        let run = try runPython(Self.script, arguments: [root.path, out.path])
        guard run.status == 0 else { throw KeelError("Keras script", expected: "success", found: run.stderr) }
        let data = try Data(contentsOf: out.appendingPathComponent("result.json"))
        let result = try JSONSerialization.jsonObject(with: data) as! [String: [String: Any]]
        Self.fixture = (root, out, result)
        return (root, out, result)
    }

    override class func tearDown() {
        if let fixture {
            try? FileManager.default.removeItem(at: fixture.root)
            try? FileManager.default.removeItem(at: fixture.out)
        }
        fixture = nil
        super.tearDown()
    }

    /// Compares Keel's elements with Keras's: same count, labels and pixels (exact for PNGs up to
    /// float rounding of the resize, within the JPEG decoder tolerance for JPEGs).
    private func compare(_ keel: DirectoryDataset, with tag: String, labelRank: Int, file: StaticString = #filePath,
                         line: UInt = #line) throws {
        let (_, out, result) = try prepared()
        let keras = result[tag]!
        XCTAssertEqual(keel.filePaths, keras["paths"] as? [String], "\(tag): file order", file: file, line: line)
        XCTAssertEqual(keel.classNames, keras["class_names"] as? [String], "\(tag): class names", file: file, line: line)
        let images = Tensor(try NPY.read(out.appendingPathComponent("\(tag).npy").path))
        let elements = try keel.dataset.collect()
        XCTAssertEqual(elements.count, images.shape[0], tag, file: file, line: line)
        let kerasLabels = keras["labels"] as! [Any]
        let imageSize = images.shape.dropFirst().reduce(1, *)
        let kerasPixels = images.scalars
        for (index, element) in elements.enumerated() {
            guard case .tuple(let parts) = element else { return XCTFail("\(tag): \(element.kind)", file: file, line: line) }
            let pixels = try parts[0].tensor("image")
            XCTAssertEqual(pixels.shape, Array(images.shape.dropFirst()), tag, file: file, line: line)
            let reference = kerasPixels[(index * imageSize)..<((index + 1) * imageSize)]
            let worst = zip(pixels.scalars, reference).map { abs($0 - $1) }.max() ?? .infinity
            let isJPEG = keel.filePaths[index].lowercased().hasSuffix("jpg") || keel.filePaths[index].lowercased().hasSuffix("jpeg")
            XCTAssertLessThanOrEqual(worst, isJPEG ? 2 : 1e-3, "\(tag) \(keel.filePaths[index]): largest pixel difference",
                                     file: file, line: line)
            let label = try parts[1].tensor("label")
            if labelRank == 0 {
                XCTAssertEqual(label.dtype, .int32, file: file, line: line)
                XCTAssertEqual(label.int32Scalars.map(Int.init), [kerasLabels[index] as! Int], "\(tag) label \(index)", file: file, line: line)
            } else {
                XCTAssertEqual(label.scalars.map(Double.init), kerasLabels[index] as! [Double], "\(tag) label \(index)", file: file, line: line)
            }
        }
    }

    func testUnshuffledRGBMatchesKeras() throws {
        let root = try prepared().root.path
        let keel = try imageDatasetFromDirectory(root, batchSize: nil, imageSize: (8, 10), shuffle: false)
        XCTAssertEqual(keel.classNames, ["birds", "cats", "dogs"])
        XCTAssertEqual(keel.filePaths.count, 13, "hidden files count, hidden class folders and text files do not")
        try compare(keel, with: "rgb", labelRank: 0)
    }

    func testGrayscaleCategoricalAndCroppedNearestMatchKeras() throws {
        let root = try prepared().root.path
        try compare(try imageDatasetFromDirectory(root, labelMode: .categorical, colorMode: .grayscale, batchSize: nil,
                                                  imageSize: (8, 10), shuffle: false),
                    with: "gray_categorical", labelRank: 1)
        try compare(try imageDatasetFromDirectory(root, classNames: ["dogs", "birds"], batchSize: nil, imageSize: (8, 10),
                                                  shuffle: false, interpolation: .nearest, cropToAspectRatio: true),
                    with: "crop_nearest", labelRank: 0)
    }

    /// With a seed, the files are shuffled exactly as Keras's `index_directory` shuffles them, so
    /// the two subsets hold Keras's files in Keras's order; the training elements are shuffled
    /// again (Keel's generator, not tf.data's), so they are compared as sets.
    func testSeededSplitHasKerasFilesPerSubset() throws {
        let (root, _, result) = try prepared()
        let (training, validation) = try imageDatasetFromDirectory(root.path, batchSize: nil, imageSize: (8, 10), seed: 1234,
                                                                   validationSplit: 0.3, subset: .both)
        let index = result["index_1234"]!
        XCTAssertEqual(training.filePaths + validation.filePaths, index["paths"] as? [String])
        XCTAssertEqual((training.labels ?? []) + (validation.labels ?? []), index["labels"] as? [Int])
        XCTAssertEqual(training.filePaths, result["train"]!["paths"] as? [String])
        XCTAssertEqual(validation.filePaths, result["val"]!["paths"] as? [String])
        XCTAssertEqual(validation.filePaths.count, Int(0.3 * 13))
        try compare(validation, with: "val", labelRank: 0)

        // Training elements: the same (label, pixel sum) pairs as Keras's, in another order.
        func signature(_ elements: [DataElement]) throws -> [String] {
            try elements.map { element -> String in
                guard case .tuple(let parts) = element else { return "?" }
                let sum = try parts[0].tensor("image").scalars.reduce(Float(0), +)
                return "\(try parts[1].tensor("label").int32Scalars[0]):\(Int((sum / 50).rounded()))"
            }.sorted()
        }
        let kerasTrain = Tensor(try NPY.read(try prepared().out.appendingPathComponent("train.npy").path))
        let size = kerasTrain.shape.dropFirst().reduce(1, *), pixels = kerasTrain.scalars
        let kerasLabels = result["train"]!["labels"] as! [Int]
        let kerasSignature = kerasLabels.indices.map { index -> String in
            "\(kerasLabels[index]):\(Int((pixels[(index * size)..<((index + 1) * size)].reduce(Float(0), +) / 50).rounded()))"
        }.sorted()
        XCTAssertEqual(try signature(training.dataset.collect()), kerasSignature)

        // Subsets alone give the same files as the pair.
        let alone = try imageDatasetFromDirectory(root.path, batchSize: nil, imageSize: (8, 10), seed: 1234,
                                                  validationSplit: 0.3, subset: .validation)
        XCTAssertEqual(alone.filePaths, validation.filePaths)
    }

    func testBatchesLabelsAndArgumentErrors() throws {
        let root = try prepared().root.path
        let batched = try imageDatasetFromDirectory(root, batchSize: 4, imageSize: (5, 5), seed: 3)
        let batches = try batched.dataset.collect()
        XCTAssertEqual(batches.count, 4)
        guard case .tuple(let first) = batches[0], case .tuple(let last) = batches[3] else { return XCTFail("not tuples") }
        XCTAssertEqual(first[0].shape, [4, 5, 5, 3])
        XCTAssertEqual(last[0].shape, [1, 5, 5, 3])
        XCTAssertEqual(first[1].shape, [4])

        XCTAssertThrowsError(try imageDatasetFromDirectory(root, validationSplit: 0.2, subset: .training)) {
            XCTAssert("\($0)".contains("seed"), "\($0)")
        }
        XCTAssertThrowsError(try imageDatasetFromDirectory(root, labelMode: .binary)) { XCTAssert("\($0)".contains("2 classes"), "\($0)") }
        XCTAssertThrowsError(try imageDatasetFromDirectory(root, classNames: ["cats", "wolves"])) { XCTAssert("\($0)".contains("wolves"), "\($0)") }
        XCTAssertThrowsError(try imageDatasetFromDirectory(root + "/missing")) { XCTAssert("\($0)".contains("missing"), "\($0)") }
        // Given labels index from the top folder down, hidden folders included (as Keras does).
        XCTAssertThrowsError(try imageDatasetFromDirectory(root, labels: .given([1, 2]))) { XCTAssert("\($0)".contains("14 files"), "\($0)") }
        let unlabeled = try imageDatasetFromDirectory(root, labels: .unlabeled, batchSize: nil, imageSize: (3, 3), shuffle: false)
        XCTAssertNil(unlabeled.classNames)
        XCTAssertEqual(try unlabeled.dataset.collect().first?.shape, [3, 3, 3])
    }

    /// A damaged image fails when the dataset reaches it, naming the file.
    func testCorruptFilesThrowNamingTheFileWhenRead() throws {
        let root = ProjectPaths.temporaryDirectory("keel-image-corrupt")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root.appendingPathComponent("a"), withIntermediateDirectories: true)
        let png = try PNGImage(width: 4, height: 4, channels: 3, pixels: [UInt8](repeating: 90, count: 48)).encoded()
        for (name, bytes) in [("bad.png", Array(png.prefix(30))), ("bad.jpg", [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10]),
                              ("anim.gif", Array("GIF89a".utf8) + [0, 0])] {
            try Data(bytes).write(to: root.appendingPathComponent("a/\(name)"))
            let dataset = try imageDatasetFromDirectory(root.path, batchSize: nil, imageSize: (4, 4), shuffle: false)
            XCTAssertThrowsError(try dataset.dataset.collect(), name) { XCTAssert("\($0)".contains(name), "\($0)") }
            try FileManager.default.removeItem(at: root.appendingPathComponent("a/\(name)"))
        }
    }
}
