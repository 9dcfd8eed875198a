/// Keras's `timeseries_dataset_from_array`: windows of `sequenceLength` steps, taken every
/// `samplingRate` rows, starting every `sequenceStride` rows of `data[startIndex..<endIndex]`;
/// with `targets`, the window starting at row i of that range is paired with
/// `targets[startIndex + i]`. Elements keep `data`'s and `targets`' dtypes.
///
/// With `shuffle`, the window starts are shuffled with NumPy's `RandomState(seed)` exactly as
/// Keras shuffles them, then the elements once more with Keel's seeded buffer (8 batches, or
/// 1024 unbatched), where Keras uses tf.data's generator; so the windows are Keras's, their
/// order within the shuffle buffer is not.
public func timeseriesDatasetFromArray(
    data: Tensor, targets: Tensor?, sequenceLength: Int, sequenceStride: Int = 1, samplingRate: Int = 1,
    batchSize: Int? = 128, shuffle: Bool = false, seed: Int? = nil, startIndex: Int? = nil, endIndex: Int? = nil
) throws -> Dataset {
    let length = data.shape.first ?? 0
    guard data.rank >= 1 else {
        throw KeelError("timeseries data", expected: "an array of rank 1 or more (time steps first)", found: "a scalar")
    }
    if let targets, targets.rank < 1 {
        throw KeelError("timeseries targets", expected: "an array of rank 1 or more", found: "a scalar")
    }
    // Keras tests `if start_index:` and `if end_index:`, so 0 passes unchecked.
    if let startIndex, startIndex != 0 {
        guard startIndex > 0, startIndex < length else {
            throw KeelError("startIndex", expected: "0 ≤ startIndex < \(length) (the length of the data)", found: "\(startIndex)")
        }
    }
    if let endIndex, endIndex != 0 {
        if let startIndex, startIndex != 0, endIndex <= startIndex {
            throw KeelError("endIndex", expected: "more than startIndex \(startIndex)", found: "\(endIndex)")
        }
        guard endIndex > 0, endIndex < length else {
            throw KeelError("endIndex", expected: "0 < endIndex < \(length) (the length of the data)", found: "\(endIndex)")
        }
    }
    guard sequenceLength > 0 else {
        throw KeelError("sequenceLength", expected: "a positive number of steps", found: "\(sequenceLength)")
    }
    guard samplingRate > 0, samplingRate < length else {
        throw KeelError("samplingRate", expected: "0 < samplingRate < \(length) (the length of the data)", found: "\(samplingRate)")
    }
    guard sequenceStride > 0, sequenceStride < length else {
        throw KeelError("sequenceStride", expected: "0 < sequenceStride < \(length) (the length of the data)", found: "\(sequenceStride)")
    }
    if let batchSize, batchSize < 1 {
        throw KeelError("batchSize", expected: "a positive integer or nil (no batching)", found: "\(batchSize)")
    }

    let start = startIndex ?? 0, end = endIndex ?? length
    var windowCount = end - start - (sequenceLength - 1) * samplingRate
    if let targets { windowCount = min(windowCount, targets.shape[0]) }
    var starts = windowCount > 0 ? Array(stride(from: 0, to: windowCount, by: sequenceStride)) : []
    if shuffle {
        var generator = MersenneTwister(numpySeed: try DirectoryIndex.seed(seed))
        generator.numpyShuffle(&starts)
    }

    let windows = TimeseriesWindows(data: data, targets: targets, start: start, sequenceLength: sequenceLength,
                                    samplingRate: samplingRate)
    if let targets, !starts.isEmpty, start + starts.max()! >= targets.shape[0] {
        throw KeelError("timeseries targets", expected: "a target for every window (at least \(start + starts.max()! + 1) rows)",
                        found: "\(targets.shape[0]) rows")
    }
    let positions = Tensor(shape: [starts.count], int32s: starts.map { Int32($0) })
    var dataset = try Dataset.fromTensorSlices(.tensor(positions)).map(parallelCalls: 2) { element in
        guard case .tensor(let position) = element else { return element }
        return windows.element(at: Int(position.int32Scalars[0]))
    }
    if shuffle {
        let shuffleSeed = UInt64(try DirectoryIndex.seed(seed))
        dataset = try dataset.shuffle(bufferSize: batchSize.map { $0 * 8 } ?? 1024, seed: shuffleSeed)
    }
    if let batchSize { dataset = try dataset.batch(batchSize) }
    return try dataset.prefetch(2)
}

/// Copies one window's rows (and its target's row) out of the arrays; any dtype (4-byte elements).
struct TimeseriesWindows {
    let data: Tensor
    let targets: Tensor?
    let start: Int
    let sequenceLength: Int
    let samplingRate: Int

    func element(at position: Int) -> DataElement {
        let rowShape = Array(data.shape.dropFirst())
        let rowBytes = rowShape.reduce(1, *) &* data.dtype.byteCount
        let window = Tensor(uninitializedShape: [sequenceLength] + rowShape, dtype: data.dtype)
        for step in 0..<sequenceLength {
            let row = start &+ position &+ step &* samplingRate
            window.storage.pointer.advanced(by: step &* rowBytes)
                .copyMemory(from: data.storage.pointer.advanced(by: row &* rowBytes), byteCount: rowBytes)
        }
        guard let targets else { return .tensor(window) }
        let targetShape = Array(targets.shape.dropFirst())
        let targetBytes = targetShape.reduce(1, *) &* targets.dtype.byteCount
        let target = Tensor(uninitializedShape: targetShape, dtype: targets.dtype)
        target.storage.pointer.copyMemory(from: targets.storage.pointer.advanced(by: (start &+ position) &* targetBytes),
                                          byteCount: targetBytes)
        return .tuple([.tensor(window), .tensor(target)])
    }
}
