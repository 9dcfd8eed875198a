import Foundation

/// Fashion-MNIST from the IDX files of Debian's `dataset-fashion-mnist` (or any MNIST-format
/// folder): pixels as float32 in [0, 1], labels as int32 class ids.
public struct FashionMNIST {
    public let trainImages: Tensor   // (60000, 28, 28)
    public let trainLabels: Tensor   // (60000,)
    public let testImages: Tensor    // (10000, 28, 28)
    public let testLabels: Tensor    // (10000,)

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
        trainImages = try FashionMNIST.images(try path(FashionMNISTFiles.trainImages))
        trainLabels = Tensor(try IDX.read(try path(FashionMNISTFiles.trainLabels)))
        testImages = try FashionMNIST.images(try path(FashionMNISTFiles.testImages))
        testLabels = Tensor(try IDX.read(try path(FashionMNISTFiles.testLabels)))
        guard trainImages.shape.first == trainLabels.shape.first, testImages.shape.first == testLabels.shape.first else {
            throw KeelError("Fashion-MNIST in \(directory)", expected: "as many labels as images",
                            found: "\(trainImages.shape) / \(trainLabels.shape), \(testImages.shape) / \(testLabels.shape)")
        }
    }

    private static func images(_ path: String) throws -> Tensor {
        let raw = try IDX.read(path)
        guard raw.shape.count == 3 else {
            throw KeelError("Fashion-MNIST images \(path)", expected: "a 3-D IDX array (count, rows, columns)", found: "shape \(raw.shape)")
        }
        return Tensor(shape: raw.shape, scalars: raw.floatValues()) * (1 / Float(255))
    }

    /// The benchmark split: the first 50,000 training images for training, the last 10,000 for validation.
    public func trainValidationSplit(trainCount: Int = 50_000) -> (x: Tensor, y: Tensor, validationX: Tensor, validationY: Tensor) {
        let n = trainImages.shape[0]
        let k = min(trainCount, n)
        return (trainImages.slice(begin: [0, 0, 0], size: [k, 28, 28]), trainLabels.slice(begin: [0], size: [k]),
                trainImages.slice(begin: [k, 0, 0], size: [n - k, 28, 28]), trainLabels.slice(begin: [k], size: [n - k]))
    }
}
