extension Dataset {
    /// Elements in random order (tf.data's `shuffle`): a buffer of `bufferSize` elements is
    /// filled, and each step hands out one of them at random and refills its place. A buffer at
    /// least as large as the dataset gives a uniform permutation. With `seed` the orders are the
    /// same in every run; `reshuffleEachIteration` (the default) gives every iteration (epoch) a
    /// new order. Without a seed, the order comes from the seed each iteration draws (fit's
    /// generator, or the one given to `batches`); with `reshuffleEachIteration` false, from a seed
    /// drawn from the engine's generator now, as tf.data picks one when the dataset is made.
    public func shuffle(bufferSize: Int, seed: UInt64? = nil, reshuffleEachIteration: Bool = true) throws -> Dataset {
        guard bufferSize > 0 else {
            throw KeelError("Dataset.shuffle(bufferSize: \(bufferSize))", expected: "a buffer of at least 1 element", found: "\(bufferSize)")
        }
        let fixedSeed = seed ?? (reshuffleEachIteration ? nil : KeelRandom.generator.nextSeed())
        return Dataset(ShuffleNode(upstream: node, bufferSize: bufferSize, seed: fixedSeed, reshuffle: reshuffleEachIteration))
    }
}

final class ShuffleNode: DatasetNode {
    let upstream: DatasetNode
    let bufferSize: Int
    let seed: UInt64?
    let reshuffle: Bool

    init(upstream: DatasetNode, bufferSize: Int, seed: UInt64?, reshuffle: Bool) {
        self.upstream = upstream
        self.bufferSize = bufferSize
        self.seed = seed
        self.reshuffle = reshuffle
    }

    var cardinality: Cardinality { upstream.cardinality }
    var depth: Int { upstream.depth + 1 }

    private func generator(_ context: IterationContext) -> RandomGenerator {
        var context = context
        if !reshuffle { context.epoch = 0 }
        return RandomGenerator(seed: context.seed(forDepth: depth, own: seed))
    }

    func indexed(_ context: IterationContext) throws -> IndexedElements? {
        guard let base = try upstream.indexed(context), bufferSize >= base.count else { return nil }
        return Permuted(base: base, order: generator(context).permutation(base.count))
    }

    func streamed(_ context: IterationContext) throws -> ElementIterator {
        Buffered(base: try upstream.iterator(context), bufferSize: bufferSize, random: generator(context))
    }

    struct Permuted: IndexedElements {
        let base: IndexedElements
        let order: [Int]
        var count: Int { order.count }
        func element(at index: Int) throws -> DataElement { try base.element(at: order[index]) }
        func batch(_ indices: [Int]) throws -> DataElement { try base.batch(indices.map { order[$0] }) }
    }

    final class Buffered: ElementIterator {
        let base: ElementIterator
        let bufferSize: Int
        let random: RandomGenerator
        var buffer: [DataElement] = []
        var filled = false

        init(base: ElementIterator, bufferSize: Int, random: RandomGenerator) {
            self.base = base
            self.bufferSize = bufferSize
            self.random = random
        }

        func next() throws -> DataElement? {
            if !filled {
                while buffer.count < bufferSize, let element = try base.next() { buffer.append(element) }
                filled = true
            }
            guard !buffer.isEmpty else { return nil }
            let pick = random.integer(below: buffer.count)
            let chosen = buffer[pick]
            if let refill = try base.next() {
                buffer[pick] = refill
            } else {
                buffer.swapAt(pick, buffer.count - 1)
                buffer.removeLast()
            }
            return chosen
        }
    }
}
