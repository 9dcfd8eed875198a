import Dispatch

extension Dataset {
    /// Each element through `transform` (tf.data's `map`). With `parallelCalls` > 1 that many
    /// elements are transformed at once on the thread pool; the order is kept.
    public func map(parallelCalls: Int = 1, _ transform: @escaping (DataElement) throws -> DataElement) -> Dataset {
        Dataset(MapNode(upstream: node, transform: transform, parallelCalls: max(1, parallelCalls)))
    }

    /// The elements for which `isIncluded` is true.
    public func filter(_ isIncluded: @escaping (DataElement) throws -> Bool) -> Dataset {
        Dataset(FilterNode(upstream: node, isIncluded: isIncluded))
    }
}

final class MapNode: DatasetNode {
    let upstream: DatasetNode
    let transform: (DataElement) throws -> DataElement
    let parallelCalls: Int

    init(upstream: DatasetNode, transform: @escaping (DataElement) throws -> DataElement, parallelCalls: Int) {
        self.upstream = upstream
        self.transform = transform
        self.parallelCalls = parallelCalls
    }

    var cardinality: Cardinality { upstream.cardinality }
    var depth: Int { upstream.depth + 1 }

    func indexed(_ context: IterationContext) throws -> IndexedElements? {
        try upstream.indexed(context).map { Mapped(base: $0, transform: transform, parallelCalls: parallelCalls) }
    }

    func streamed(_ context: IterationContext) throws -> ElementIterator {
        Streamed(base: try upstream.iterator(context), transform: transform, parallelCalls: parallelCalls)
    }

    /// Transforms `inputs` on `parallelCalls` threads, results in input order; the first error wins.
    static func transformAll(_ inputs: [DataElement], parallelCalls: Int,
                             _ transform: (DataElement) throws -> DataElement) throws -> [DataElement] {
        guard parallelCalls > 1, inputs.count > 1 else { return try inputs.map(transform) }
        let results = ResultSlots(count: inputs.count)
        withoutActuallyEscaping(transform) { transform in
            DispatchQueue.concurrentPerform(iterations: inputs.count) { i in
                results.set(i, Result { try transform(inputs[i]) })
            }
        }
        return try results.values()
    }

    final class ResultSlots: @unchecked Sendable {
        private var slots: [Result<DataElement, Error>?]
        private let lock = DispatchSemaphore(value: 1)
        init(count: Int) { slots = Array(repeating: nil, count: count) }
        func set(_ index: Int, _ result: Result<DataElement, Error>) {
            lock.wait()
            slots[index] = result
            lock.signal()
        }
        func values() throws -> [DataElement] { try slots.map { try $0!.get() } }
    }

    struct Mapped: IndexedElements {
        let base: IndexedElements
        let transform: (DataElement) throws -> DataElement
        let parallelCalls: Int
        var count: Int { base.count }
        func element(at index: Int) throws -> DataElement { try transform(try base.element(at: index)) }
        func batch(_ indices: [Int]) throws -> DataElement {
            let inputs = try indices.map { try base.element(at: $0) }
            return try DataElement.stack(try MapNode.transformAll(inputs, parallelCalls: parallelCalls, transform))
        }
    }

    /// Pulls `parallelCalls` elements at a time and transforms them together.
    final class Streamed: ElementIterator {
        let base: ElementIterator
        let transform: (DataElement) throws -> DataElement
        let parallelCalls: Int
        var ready: [DataElement] = []
        var readyIndex = 0

        init(base: ElementIterator, transform: @escaping (DataElement) throws -> DataElement, parallelCalls: Int) {
            self.base = base
            self.transform = transform
            self.parallelCalls = parallelCalls
        }

        func next() throws -> DataElement? {
            if readyIndex == ready.count {
                var inputs: [DataElement] = []
                while inputs.count < parallelCalls, let element = try base.next() { inputs.append(element) }
                ready = try MapNode.transformAll(inputs, parallelCalls: parallelCalls, transform)
                readyIndex = 0
                if ready.isEmpty { return nil }
            }
            defer { readyIndex += 1 }
            return ready[readyIndex]
        }

        func skip(_ count: Int) throws -> Int {
            // Skipped elements are not transformed: a map has no effect on the count.
            let buffered = min(count, ready.count - readyIndex)
            readyIndex += buffered
            return buffered + (try base.skip(count - buffered))
        }
    }
}

final class FilterNode: DatasetNode {
    let upstream: DatasetNode
    let isIncluded: (DataElement) throws -> Bool

    init(upstream: DatasetNode, isIncluded: @escaping (DataElement) throws -> Bool) {
        self.upstream = upstream
        self.isIncluded = isIncluded
    }

    var cardinality: Cardinality { upstream.cardinality == .infinite ? .infinite : .unknown }
    var depth: Int { upstream.depth + 1 }

    func streamed(_ context: IterationContext) throws -> ElementIterator {
        Filtered(base: try upstream.iterator(context), isIncluded: isIncluded)
    }

    final class Filtered: ElementIterator {
        let base: ElementIterator
        let isIncluded: (DataElement) throws -> Bool
        init(base: ElementIterator, isIncluded: @escaping (DataElement) throws -> Bool) {
            self.base = base
            self.isIncluded = isIncluded
        }
        func next() throws -> DataElement? {
            while let element = try base.next() {
                if try isIncluded(element) { return element }
            }
            return nil
        }
    }
}
