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
    /// Which part of the samples this process trains on (`shard(count:index:)`): every
    /// `shardCount`-th sample of each epoch's order, starting at `shardIndex`.
    public private(set) var shardCount = 1
    public private(set) var shardIndex = 0

    public init(x: [Tensor], y: [Tensor] = [], sampleWeight: Tensor? = nil, batchSize: Int = 32,
                shuffle: Bool = false, map: ((Batch) -> Batch)? = nil) {
        self.x = x
        self.y = y
        self.sampleWeight = sampleWeight
        self.batchSize = batchSize
        self.shuffle = shuffle
        self.map = map
    }

    /// All samples held, every shard's included.
    public var count: Int { x.first?.shape.first ?? 0 }
    /// The samples one epoch of this shard visits: `count / shardCount` (the remainder, fewer
    /// than `shardCount`, is left out of every epoch so all shards take the same number of steps).
    public var shardSampleCount: Int { shardCount == 1 ? count : count / shardCount }
    public var batchCount: Int { shardSampleCount == 0 ? 0 : (shardSampleCount - 1) / batchSize + 1 }

    /// The shard `index` of `count` equal shards (Horovod's `Dataset.shard`, for data-parallel
    /// training: `shard(count: Distributed.size, index: Distributed.rank)`). Each epoch every shard
    /// draws the same order of all samples (the same seed on every rank) and takes positions
    /// index, index + count, ...; together the shards' batch k is the one-process batch k of
    /// size count·batchSize. Sharding a shard is not supported.
    public func shard(count: Int, index: Int) throws -> Dataset {
        guard count > 0, (0..<count).contains(index) else {
            throw KeelError("Dataset.shard(count: \(count), index: \(index))", expected: "count > 0 and 0 ≤ index < count",
                            found: "count \(count), index \(index)")
        }
        guard shardCount == 1 else {
            throw KeelError("Dataset.shard", expected: "a dataset that is not sharded yet", found: "shard \(shardIndex) of \(shardCount)")
        }
        var sharded = self
        sharded.shardCount = count
        sharded.shardIndex = index
        return sharded
    }

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
        let permutation = shuffle ? generator.permutation(count) : nil
        guard shardCount > 1 else {
            return BatchSequence(dataset: self, order: permutation.map { Tensor(shape: [count], int32s: $0.map(Int32.init)) })
        }
        let rows = (0..<shardSampleCount).map { i in i &* shardCount &+ shardIndex }
        let order = permutation.map { all in rows.map { Int32(all[$0]) } } ?? rows.map(Int32.init)
        return BatchSequence(dataset: self, order: Tensor(shape: [order.count], int32s: order))
    }

    func batch(_ index: Int, order: Tensor?) -> Batch {
        let start = index * batchSize
        let size = min(batchSize, shardSampleCount - start)
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
