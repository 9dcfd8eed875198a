/// Keras's `text_dataset_from_directory`: the `.txt` files under `directory` (one subdirectory
/// per class with `labels: .inferred`), listed, shuffled and split exactly as Keras does for the
/// same `seed` (see `imageDatasetFromDirectory` on the element shuffle), each element the file's
/// text as a scalar string, read lazily. `maxLength` keeps the first `maxLength` bytes, as
/// TensorFlow's `substr` does, backed off to the last whole UTF-8 character. A file that is
/// not UTF-8 is an error naming it.
public func textDatasetFromDirectory(
    _ directory: String, labels: DirectoryLabels = .inferred, labelMode: LabelMode? = .int,
    classNames: [String]? = nil, batchSize: Int? = 32, maxLength: Int? = nil, shuffle: Bool = true,
    seed: Int? = nil, validationSplit: Double? = nil, subset: DatasetSubset? = nil, followLinks: Bool = false
) throws -> DirectoryDataset {
    let reader = DirectoryReader(directory: directory, labels: labels, labelMode: labelMode, classNames: classNames,
                                 batchSize: batchSize, shuffle: shuffle, seed: seed, validationSplit: validationSplit,
                                 followLinks: followLinks, extensions: [".txt"], what: "text files")
    try TextFileLoader.check(maxLength)
    try reader.checkArguments(subset: subset != nil)
    let index = try reader.index()
    return try reader.dataset(of: index, subset: subset, shuffleElements: subset != .validation,
                              load: TextFileLoader(maxLength: maxLength).load)
}

/// Keras's `text_dataset_from_directory(..., subset="both")`.
public func textDatasetFromDirectory(
    _ directory: String, labels: DirectoryLabels = .inferred, labelMode: LabelMode? = .int,
    classNames: [String]? = nil, batchSize: Int? = 32, maxLength: Int? = nil, shuffle: Bool = true,
    seed: Int? = nil, validationSplit: Double, subset: BothSubsets, followLinks: Bool = false
) throws -> (training: DirectoryDataset, validation: DirectoryDataset) {
    let reader = DirectoryReader(directory: directory, labels: labels, labelMode: labelMode, classNames: classNames,
                                 batchSize: batchSize, shuffle: shuffle, seed: seed, validationSplit: validationSplit,
                                 followLinks: followLinks, extensions: [".txt"], what: "text files")
    try TextFileLoader.check(maxLength)
    try reader.checkArguments(subset: true)
    let index = try reader.index()
    let loader = TextFileLoader(maxLength: maxLength)
    return (try reader.dataset(of: index, subset: .training, shuffleElements: true, load: loader.load),
            try reader.dataset(of: index, subset: .validation, shuffleElements: false, load: loader.load))
}

struct TextFileLoader {
    let maxLength: Int?

    static func check(_ maxLength: Int?) throws {
        if let maxLength, maxLength < 0 {
            throw KeelError("maxLength", expected: "a length of 0 or more bytes, or nil", found: "\(maxLength)")
        }
    }

    func load(_ path: String) throws -> DataElement {
        var bytes = try FileBytes.read(path, what: "text file")
        if let maxLength, bytes.count > maxLength {
            var end = maxLength
            // A UTF-8 continuation byte (10xxxxxx) at the cut means a character was split.
            while end > 0, bytes[end] & 0xC0 == 0x80 { end -= 1 }
            bytes.removeSubrange(end...)
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw KeelError(path, expected: "a text file in UTF-8", found: "bytes that are not UTF-8")
        }
        return .strings(try StringArray(shape: [], strings: [text]))
    }
}
