/// What a directory reader returns: the dataset, the class names its labels index (Keras's
/// `class_names`; nil without labels) and the files it reads, in order before any element
/// shuffle (Keras's `file_paths`).
public struct DirectoryDataset {
    public let dataset: Dataset
    public let classNames: [String]?
    public let filePaths: [String]
    /// The integer label of each file in `filePaths` (nil without labels).
    public let labels: [Int]?
}

/// What the directory readers share: indexing, the split, label encoding and the pipeline
/// Keras builds (slices of paths and labels → shuffle → parallel load → batch → prefetch).
struct DirectoryReader {
    let directory: String
    let labels: DirectoryLabels
    let labelMode: LabelMode?
    let classNames: [String]?
    let batchSize: Int?
    let shuffle: Bool
    let seed: Int?
    let validationSplit: Double?
    let followLinks: Bool
    let extensions: [String]
    /// "images" or "text files", for Keras's "No ... found" errors.
    let what: String

    /// Labels are dropped when either `labels` or `labelMode` says none, as in Keras.
    var effectiveLabels: DirectoryLabels {
        if labelMode == nil { return .unlabeled }
        return labels
    }

    func checkArguments(subset: Bool) throws {
        if case .given = labels, let classNames, !classNames.isEmpty {
            throw KeelError("classNames", expected: "nil unless labels are inferred", found: "\(classNames) with given labels")
        }
        if let batchSize, batchSize < 1 {
            throw KeelError("batchSize", expected: "a positive integer or nil (no batching)", found: "\(batchSize)")
        }
        try DirectoryIndex.checkSplit(validationSplit, subset: subset, shuffle: shuffle, seed: seed)
    }

    func index() throws -> DirectoryIndex {
        let index = try DirectoryIndex.index(directory: directory, labels: effectiveLabels, classNames: classNames,
                                             extensions: extensions, shuffle: shuffle,
                                             seed: try DirectoryIndex.seed(seed), followLinks: followLinks)
        if labelMode == .binary, index.classNames?.count != 2 {
            throw KeelError("labelMode binary for \(directory)", expected: "exactly 2 classes",
                            found: "\(index.classNames?.count ?? 0) classes: \((index.classNames ?? []).joined(separator: ", "))")
        }
        return index
    }

    /// The dataset of one subset (nil: all files). Only a shuffled training set shuffles its
    /// elements, with Keras's buffer (8 batches, or 1024 unbatched).
    func dataset(of index: DirectoryIndex, subset: DatasetSubset?, shuffleElements: Bool,
                 load: @escaping (String) throws -> DataElement) throws -> DirectoryDataset {
        let part = subset.map { index.subset($0, validationSplit: validationSplit) } ?? index
        guard !part.paths.isEmpty else {
            let which = subset == nil ? "" : "\(subset!.rawValue) "
            throw KeelError(directory, expected: "\(which)\(what) (files ending in \(extensions.joined(separator: ", ")))",
                            found: "none")
        }
        let paths = DataElement.strings(StringArray(part.paths))
        var dataset = try Dataset.fromTensorSlices(part.labels.map { labels in
            .tuple([paths, .tensor(encodeLabels(labels, classCount: index.classNames?.count ?? 0))])
        } ?? paths)
        if shuffleElements && shuffle {
            // Keras's tf.data shuffle draws from TensorFlow's generator, which Keel cannot
            // reproduce: the order of elements differs from Keras's, the files per subset do not.
            dataset = try dataset.shuffle(bufferSize: batchSize.map { $0 * 8 } ?? 1024, seed: UInt64(try DirectoryIndex.seed(seed)))
        }
        dataset = dataset.map(parallelCalls: DirectoryReader.parallelLoads) { element in
            switch element {
            case .strings(let path):
                return try load(path.strings[0])
            case .tuple(let parts):
                guard case .strings(let path) = parts[0] else { return element }
                return .tuple([try load(path.strings[0]), parts[1]])
            default:
                return element
            }
        }
        if let batchSize { dataset = try dataset.batch(batchSize) }
        return DirectoryDataset(dataset: try dataset.prefetch(2), classNames: part.labels == nil ? nil : index.classNames,
                                filePaths: part.paths, labels: part.labels)
    }

    /// int32 class ids, float32 one-hot rows, or float32 [n, 1] zeros and ones.
    func encodeLabels(_ labels: [Int], classCount: Int) -> Tensor {
        switch labelMode {
        case .categorical:
            var oneHot = [Float](repeating: 0, count: labels.count * classCount)
            for (row, label) in labels.enumerated() where (0..<classCount).contains(label) {
                oneHot[row * classCount + label] = 1
            }
            return Tensor(shape: [labels.count, classCount], scalars: oneHot)
        case .binary:
            return Tensor(shape: [labels.count, 1], scalars: labels.map(Float.init))
        case .int, nil:
            return Tensor(shape: [labels.count], int32s: labels.map { Int32(truncatingIfNeeded: $0) })
        }
    }

    static let parallelLoads = 4
}
