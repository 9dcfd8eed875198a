import Dispatch

/// One batch: a tensor per model input, a target per output, and optional per-sample weights.
public struct Batch {
    public var x: [Tensor]
    public var y: [Tensor]
    public var sampleWeight: Tensor?

    public init(x: [Tensor], y: [Tensor] = [], sampleWeight: Tensor? = nil) {
        self.x = x
        self.y = y
        self.sampleWeight = sampleWeight
    }

    public var size: Int { x.first?.shape.first ?? 0 }
}

/// In-memory samples cut into batches: seeded shuffling (a new order every epoch), an optional
/// per-batch `map`, and the next batch prepared on a background thread while the current one trains.
public struct Dataset {
    public let x: [Tensor]
    public let y: [Tensor]
    public let sampleWeight: Tensor?
    public var batchSize: Int
    public var shuffle: Bool
    public var map: ((Batch) -> Batch)?

    public init(x: [Tensor], y: [Tensor] = [], sampleWeight: Tensor? = nil, batchSize: Int = 32,
                shuffle: Bool = false, map: ((Batch) -> Batch)? = nil) {
        self.x = x
        self.y = y
        self.sampleWeight = sampleWeight
        self.batchSize = batchSize
        self.shuffle = shuffle
        self.map = map
    }

    public var count: Int { x.first?.shape.first ?? 0 }
    public var batchCount: Int { count == 0 ? 0 : (count - 1) / batchSize + 1 }

    /// The first `count` samples and the rest (Keras's `validation_split` takes the last part, unshuffled).
    public func split(at index: Int) -> (Dataset, Dataset) {
        func cut(_ t: Tensor, _ range: Range<Int>) -> Tensor {
            var begin = [Int](repeating: 0, count: t.rank), size = t.shape
            begin[0] = range.lowerBound
            size[0] = range.count
            return t.slice(begin: begin, size: size)
        }
        let head = 0..<index, tail = index..<count
        var a = self, b = self
        a = Dataset(x: x.map { cut($0, head) }, y: y.map { cut($0, head) }, sampleWeight: sampleWeight.map { cut($0, head) },
                    batchSize: batchSize, shuffle: shuffle, map: map)
        b = Dataset(x: x.map { cut($0, tail) }, y: y.map { cut($0, tail) }, sampleWeight: sampleWeight.map { cut($0, tail) },
                    batchSize: batchSize, shuffle: false, map: map)
        return (a, b)
    }

    /// The batches of one epoch, in a new random order when shuffling (drawn from `generator`).
    public func epoch(generator: RandomGenerator) -> BatchSequence {
        let order: Tensor? = shuffle ? Tensor(shape: [count], int32s: generator.permutation(count).map(Int32.init)) : nil
        return BatchSequence(dataset: self, order: order)
    }

    func batch(_ index: Int, order: Tensor?) -> Batch {
        let start = index * batchSize
        let size = min(batchSize, count - start)
        func take(_ t: Tensor) -> Tensor {
            if let order {
                return t.gathering(order.slice(begin: [start], size: [size]), axis: 0)
            }
            var begin = [Int](repeating: 0, count: t.rank), extent = t.shape
            begin[0] = start
            extent[0] = size
            return t.slice(begin: begin, size: extent)
        }
        let batch = Batch(x: x.map(take), y: y.map(take), sampleWeight: sampleWeight.map(take))
        return map?(batch) ?? batch
    }
}

/// Iterates one epoch's batches, preparing batch i+1 on a background queue while i is used.
public struct BatchSequence: Sequence, IteratorProtocol {
    let dataset: Dataset
    let order: Tensor?
    private var index = 0
    private var pending: (DispatchGroup, Box)?

    final class Box: @unchecked Sendable { var batch: Batch? }

    init(dataset: Dataset, order: Tensor?) {
        self.dataset = dataset
        self.order = order
    }

    public mutating func next() -> Batch? {
        guard index < dataset.batchCount else { return nil }
        let current: Batch
        if let (group, box) = pending {
            group.wait()
            current = box.batch!
        } else {
            current = dataset.batch(index, order: order)
        }
        index += 1
        pending = nil
        if index < dataset.batchCount {
            let group = DispatchGroup(), box = Box()
            let (dataset, order, nextIndex) = (self.dataset, self.order, index)
            DispatchQueue.global().async(group: group) { box.batch = dataset.batch(nextIndex, order: order) }
            pending = (group, box)
        }
        return current
    }
}
