/// How many channels `imageDatasetFromDirectory` gives every image (Keras's `color_mode`).
public enum ColorMode: String, Sendable {
    case grayscale, rgb, rgba

    public var channels: Int {
        switch self {
        case .grayscale: return 1
        case .rgb: return 3
        case .rgba: return 4
        }
    }
}

/// Keras's `image_dataset_from_directory`: the PNG and JPEG files under `directory` (one
/// subdirectory per class with `labels: .inferred`), in Keras's order for the same `seed`, as
/// float32 images of `imageSize` (height, width) with values 0–255, and labels encoded by
/// `labelMode`. Files are decoded lazily, in parallel, while the dataset is iterated.
///
/// Files are listed and shuffled exactly as Keras lists and shuffles them (sorted walk, then
/// NumPy's `RandomState(seed).shuffle`), so `filePaths` and the training/validation files equal
/// Keras's. Keras then shuffles the training elements again with tf.data's generator, which
/// Keel cannot reproduce; Keel shuffles them with its own seeded buffer of the same size.
/// GIF and BMP files (which Keras also lists) are refused with an error naming the file; JPEGs
/// read with `colorMode: .rgba` come back opaque (TensorFlow refuses them).
/// For Keras's `subset="both"`, pass `subset: .both` (the overload returning both datasets).
public func imageDatasetFromDirectory(
    _ directory: String, labels: DirectoryLabels = .inferred, labelMode: LabelMode? = .int,
    classNames: [String]? = nil, colorMode: ColorMode = .rgb, batchSize: Int? = 32,
    imageSize: (height: Int, width: Int) = (256, 256), shuffle: Bool = true, seed: Int? = nil,
    validationSplit: Double? = nil, subset: DatasetSubset? = nil,
    interpolation: ResizeInterpolation = .bilinear, followLinks: Bool = false, cropToAspectRatio: Bool = false
) throws -> DirectoryDataset {
    let reader = ImageDirectoryReader(
        reader: DirectoryReader(directory: directory, labels: labels, labelMode: labelMode, classNames: classNames,
                                batchSize: batchSize, shuffle: shuffle, seed: seed, validationSplit: validationSplit,
                                followLinks: followLinks, extensions: ImageDirectoryReader.extensions, what: "images"),
        colorMode: colorMode, imageSize: imageSize, interpolation: interpolation, cropToAspectRatio: cropToAspectRatio)
    try reader.checkArguments(subset: subset != nil)
    let index = try reader.reader.index()
    return try reader.reader.dataset(of: index, subset: subset, shuffleElements: subset != .validation, load: reader.load)
}

/// Keras's `image_dataset_from_directory(..., subset="both")`: the training and validation
/// datasets of one split (only the training one shuffles its elements).
public func imageDatasetFromDirectory(
    _ directory: String, labels: DirectoryLabels = .inferred, labelMode: LabelMode? = .int,
    classNames: [String]? = nil, colorMode: ColorMode = .rgb, batchSize: Int? = 32,
    imageSize: (height: Int, width: Int) = (256, 256), shuffle: Bool = true, seed: Int? = nil,
    validationSplit: Double, subset: BothSubsets,
    interpolation: ResizeInterpolation = .bilinear, followLinks: Bool = false, cropToAspectRatio: Bool = false
) throws -> (training: DirectoryDataset, validation: DirectoryDataset) {
    let reader = ImageDirectoryReader(
        reader: DirectoryReader(directory: directory, labels: labels, labelMode: labelMode, classNames: classNames,
                                batchSize: batchSize, shuffle: shuffle, seed: seed, validationSplit: validationSplit,
                                followLinks: followLinks, extensions: ImageDirectoryReader.extensions, what: "images"),
        colorMode: colorMode, imageSize: imageSize, interpolation: interpolation, cropToAspectRatio: cropToAspectRatio)
    try reader.checkArguments(subset: true)
    let index = try reader.reader.index()
    return (try reader.reader.dataset(of: index, subset: .training, shuffleElements: true, load: reader.load),
            try reader.reader.dataset(of: index, subset: .validation, shuffleElements: false, load: reader.load))
}

/// The image-specific part of the reader: argument checks and loading one file.
struct ImageDirectoryReader {
    static let extensions = [".bmp", ".gif", ".jpeg", ".jpg", ".png"]

    let reader: DirectoryReader
    let colorMode: ColorMode
    let imageSize: (height: Int, width: Int)
    let interpolation: ResizeInterpolation
    let cropToAspectRatio: Bool

    func checkArguments(subset: Bool) throws {
        guard imageSize.height > 0, imageSize.width > 0 else {
            throw KeelError("imageSize", expected: "a positive (height, width)", found: "(\(imageSize.height), \(imageSize.width))")
        }
        try reader.checkArguments(subset: subset)
    }

    /// Reads, decodes and resizes one file to a float32 [height, width, channels] element.
    func load(_ path: String) throws -> DataElement {
        let image = try ImageFile.read(path, channels: colorMode.channels)
        return .tensor(ImageResize.resized(image, height: imageSize.height, width: imageSize.width,
                                           interpolation: interpolation, cropToAspectRatio: cropToAspectRatio))
    }
}
