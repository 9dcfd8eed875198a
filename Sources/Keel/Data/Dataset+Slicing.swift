extension Dataset {
    /// The first `count` elements (all of them when `count` is negative, as tf.data's `take(-1)`).
    public func take(_ count: Int) -> Dataset { Dataset(RangeNode(upstream: node, skip: 0, take: count < 0 ? nil : count)) }

    /// All but the first `count` elements.
    public func skip(_ count: Int) -> Dataset { Dataset(RangeNode(upstream: node, skip: max(0, count), take: nil)) }

    /// The elements `count` times over (for ever when nil); each repetition is a new iteration,
    /// so a shuffle before the repeat reshuffles every time.
    public func `repeat`(_ count: Int? = nil) throws -> Dataset {
        if let count, count < 0 {
            throw KeelError("Dataset.repeat(\(count))", expected: "a count of at least 0 (nil repeats for ever)", found: "\(count)")
        }
        return Dataset(RepeatNode(upstream: node, count: count))
    }

    /// Every `count`-th element from the `index`-th: the part of the data one of `count` workers
    /// takes (tf.data's and Horovod's `shard`). Shard before batching, after shuffling with a
    /// seed all workers share, and the workers' batches k together are one batch k of size
    /// count·batch.
    public func shard(count: Int, index: Int) throws -> Dataset {
        guard count > 0, (0..<count).contains(index) else {
            throw KeelError("Dataset.shard(count: \(count), index: \(index))", expected: "count > 0 and 0 ≤ index < count",
                            found: "count \(count), index \(index)")
        }
        return count == 1 ? self : Dataset(ShardNode(upstream: node, count: count, index: index))
    }
}

final class RangeNode: DatasetNode {
    let upstream: DatasetNode
    let skip: Int
    let take: Int?

    init(upstream: DatasetNode, skip: Int, take: Int?) {
        self.upstream = upstream
        self.skip = skip
        self.take = take
    }

    var depth: Int { upstream.depth + 1 }

    func kept(of count: Int) -> Int { min(max(0, count - skip), take ?? Int.max) }

    var cardinality: Cardinality {
        switch upstream.cardinality {
        case .finite(let n): return .finite(kept(of: n))
        case .infinite: return take.map { .finite($0) } ?? .infinite
        case .unknown: return take == 0 ? .finite(0) : .unknown
        }
    }

    func indexed(_ context: IterationContext) throws -> IndexedElements? {
        try upstream.indexed(context).map { Window(base: $0, offset: skip, count: kept(of: $0.count)) }
    }

    func streamed(_ context: IterationContext) throws -> ElementIterator {
        Streamed(base: try upstream.iterator(context), skip: skip, remaining: take)
    }

    struct Window: IndexedElements {
        let base: IndexedElements
        let offset: Int
        let count: Int
        func element(at index: Int) throws -> DataElement { try base.element(at: offset &+ index) }
        func batch(_ indices: [Int]) throws -> DataElement { try base.batch(indices.map { offset &+ $0 }) }
    }

    final class Streamed: ElementIterator {
        let base: ElementIterator
        var toSkip: Int
        var remaining: Int?

        init(base: ElementIterator, skip: Int, remaining: Int?) {
            self.base = base
            self.toSkip = skip
            self.remaining = remaining
        }

        func next() throws -> DataElement? {
            if toSkip > 0 {
                _ = try base.skip(toSkip)
                toSkip = 0
            }
            if let left = remaining {
                guard left > 0 else { return nil }
                remaining = left - 1
            }
            return try base.next()
        }
    }
}

final class RepeatNode: DatasetNode {
    let upstream: DatasetNode
    let count: Int?

    init(upstream: DatasetNode, count: Int?) {
        self.upstream = upstream
        self.count = count
    }

    var depth: Int { upstream.depth + 1 }

    var cardinality: Cardinality {
        guard let count else { return upstream.cardinality == .finite(0) ? .finite(0) : .infinite }
        switch upstream.cardinality {
        case .finite(let n): return .finite(n * count)
        case let other: return count == 0 ? .finite(0) : other
        }
    }

    func streamed(_ context: IterationContext) throws -> ElementIterator {
        Repeated(node: upstream, context: context, count: count)
    }

    /// Each repetition iterates the upstream in its own context (`IterationContext.repeating`), so
    /// random stages before the repeat draw a new order each time.
    final class Repeated: ElementIterator {
        let node: DatasetNode
        let context: IterationContext
        let count: Int?
        var repetition = 0
        var current: ElementIterator?
        var emptyRepetition = true

        init(node: DatasetNode, context: IterationContext, count: Int?) {
            self.node = node
            self.context = context
            self.count = count
        }

        func next() throws -> DataElement? {
            while true {
                if current == nil {
                    if let count, repetition >= count { return nil }
                    current = try node.iterator(context.repeating(repetition, of: count))
                    emptyRepetition = true
                }
                if let element = try current!.next() {
                    emptyRepetition = false
                    return element
                }
                // An empty upstream would repeat for ever without yielding: stop instead.
                if emptyRepetition { return nil }
                current = nil
                repetition += 1
            }
        }
    }
}

final class ShardNode: DatasetNode {
    let upstream: DatasetNode
    let count: Int
    let index: Int

    init(upstream: DatasetNode, count: Int, index: Int) {
        self.upstream = upstream
        self.count = count
        self.index = index
    }

    var depth: Int { upstream.depth + 1 }

    func shardSize(of n: Int) -> Int { n > index ? (n - index + count - 1) / count : 0 }

    var cardinality: Cardinality {
        if case .finite(let n) = upstream.cardinality { return .finite(shardSize(of: n)) }
        return upstream.cardinality
    }

    func indexed(_ context: IterationContext) throws -> IndexedElements? {
        try upstream.indexed(context).map { Strided(base: $0, stride: count, offset: index, count: shardSize(of: $0.count)) }
    }

    func streamed(_ context: IterationContext) throws -> ElementIterator {
        Streamed(base: try upstream.iterator(context), count: count, index: index)
    }

    struct Strided: IndexedElements {
        let base: IndexedElements
        let stride: Int
        let offset: Int
        let count: Int
        func element(at index: Int) throws -> DataElement { try base.element(at: index &* stride &+ offset) }
        func batch(_ indices: [Int]) throws -> DataElement { try base.batch(indices.map { $0 &* stride &+ offset }) }
    }

    final class Streamed: ElementIterator {
        let base: ElementIterator
        let count: Int
        let index: Int
        var started = false

        init(base: ElementIterator, count: Int, index: Int) {
            self.base = base
            self.count = count
            self.index = index
        }

        func next() throws -> DataElement? {
            if !started {
                started = true
                guard try base.skip(index) == index else { return nil }
                return try base.next()
            }
            guard try base.skip(count - 1) == count - 1 else { return nil }
            return try base.next()
        }
    }
}
