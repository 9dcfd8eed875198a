import Foundation

/// Fashion-MNIST from the IDX files of Debian's `dataset-fashion-mnist` (or any MNIST-format
/// folder): pixels as float32 in [0, 1], labels as int32 class ids. The files are kept as bytes
/// and converted in one pass per requested range, so only the tensors asked for take float memory.
public struct FashionMNIST {
    private let trainPixels: ArrayData   // (60000, 28, 28) uint8
    private let testPixels: ArrayData    // (10000, 28, 28) uint8
    public let trainLabels: Tensor       // (60000,)
    public let testLabels: Tensor        // (10000,)

    public static let classNames = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
                                    "Sneaker", "Bag", "Ankle boot"]

    public init(directory: String = FashionMNISTFiles.defaultDirectory) throws {
        func path(_ name: String) throws -> String {
            for candidate in [name, String(name.dropLast(3))] {
                let full = directory + "/" + candidate
                if FileManager.default.fileExists(atPath: full) { return full }
            }
            throw KeelError("Fashion-MNIST file \(directory)/\(name)", expected: "an IDX file (install Debian's dataset-fashion-mnist)",
                            found: "no such file")
        }
        trainPixels = try IDX.read(try path(FashionMNISTFiles.trainImages), as: .uint8, shape: [nil, nil, nil])
        testPixels = try IDX.read(try path(FashionMNISTFiles.testImages), as: .uint8, shape: [nil, nil, nil])
        trainLabels = Tensor(try IDX.read(try path(FashionMNISTFiles.trainLabels)))
        testLabels = Tensor(try IDX.read(try path(FashionMNISTFiles.testLabels)))
        guard trainPixels.shape[0] == trainLabels.shape.first, testPixels.shape[0] == testLabels.shape.first else {
            throw KeelError("Fashion-MNIST in \(directory)", expected: "as many labels as images",
                            found: "\(trainPixels.shape) / \(trainLabels.shape), \(testPixels.shape) / \(testLabels.shape)")
        }
    }

    public var trainCount: Int { trainPixels.shape[0] }
    public var testCount: Int { testPixels.shape[0] }

    /// All training images as the file holds them, (count, 28, 28) uint8, sharing the loaded bytes
    /// (no copy): for a `Dataset` that converts a batch at a time.
    public var trainPixelBytes: ByteArray { ByteArray(unchecked: trainPixels.shape, bytes: trainPixels.bytes) }

    /// All test images, (count, 28, 28) uint8, sharing the loaded bytes.
    public var testPixelBytes: ByteArray { ByteArray(unchecked: testPixels.shape, bytes: testPixels.bytes) }

    /// Training images `range` as (count, 28, 28) floats in [0, 1].
    public func trainImages(_ range: Range<Int>? = nil) -> Tensor { FashionMNIST.images(trainPixels, range) }

    /// Test images `range` as (count, 28, 28) floats in [0, 1].
    public func testImages(_ range: Range<Int>? = nil) -> Tensor { FashionMNIST.images(testPixels, range) }

    private static func images(_ pixels: ArrayData, _ range: Range<Int>?) -> Tensor {
        let rows = range ?? 0..<pixels.shape[0]
        let perImage = pixels.shape[1] * pixels.shape[2]
        let out = Tensor(uninitializedShape: [rows.count, pixels.shape[1], pixels.shape[2]])
        let o = out.storage.floats
        pixels.bytes.withUnsafeBufferPointer { bytes in
            let base = bytes.baseAddress! + rows.lowerBound * perImage
            for i in 0..<(rows.count * perImage) { o[i] = Float(base[i]) * (1 / 255) }
        }
        return out
    }

    /// The benchmark split: the first 50,000 training images for training, the last 10,000 for
    /// validation; of each part, at most the first `trainSamples` and `validationSamples` (only
    /// those are converted to floats).
    public func trainValidationSplit(trainCount requested: Int = 50_000, trainSamples: Int = .max, validationSamples: Int = .max)
        -> (x: Tensor, y: Tensor, validationX: Tensor, validationY: Tensor) {
        let k = min(max(requested, 0), trainCount)
        let n = min(max(trainSamples, 0), k), nv = min(max(validationSamples, 0), trainCount - k)
        return (trainImages(0..<n), trainLabels.slice(begin: [0], size: [n]),
                trainImages(k..<(k + nv)), trainLabels.slice(begin: [k], size: [nv]))
    }
}
