extension Dataset {
    /// Consecutive elements stacked into batches of `size` along a new first axis; the last batch
    /// is smaller unless `dropRemainder`. Elements must agree in structure and shape.
    public func batch(_ size: Int, dropRemainder: Bool = false) throws -> Dataset {
        guard size > 0 else { throw KeelError("Dataset.batch(\(size))", expected: "a batch size of at least 1", found: "\(size)") }
        return Dataset(BatchNode(upstream: node, size: size, dropRemainder: dropRemainder))
    }

    /// The rows of every element as elements of their own (the inverse of `batch`).
    public func unbatch() -> Dataset { Dataset(UnbatchNode(upstream: node)) }
}

final class BatchNode: DatasetNode {
    let upstream: DatasetNode
    let size: Int
    let dropRemainder: Bool

    init(upstream: DatasetNode, size: Int, dropRemainder: Bool) {
        self.upstream = upstream
        self.size = size
        self.dropRemainder = dropRemainder
    }

    var depth: Int { upstream.depth + 1 }

    func batches(of count: Int) -> Int { dropRemainder ? count / size : (count + size - 1) / size }

    var cardinality: Cardinality {
        switch upstream.cardinality {
        case .finite(let n): return .finite(batches(of: n))
        case let other: return other
        }
    }

    func indexed(_ context: IterationContext) throws -> IndexedElements? {
        try upstream.indexed(context).map { Batches(base: $0, size: size, count: batches(of: $0.count)) }
    }

    func streamed(_ context: IterationContext) throws -> ElementIterator {
        Streamed(base: try upstream.iterator(context), size: size, dropRemainder: dropRemainder)
    }

    /// Batch i gathers the upstream elements i·size ..< (i+1)·size in one step.
    struct Batches: IndexedElements {
        let base: IndexedElements
        let size: Int
        let count: Int
        func element(at index: Int) throws -> DataElement {
            let start = index &* size
            return try base.batch(Array(start..<min(start &+ size, base.count)))
        }
    }

    final class Streamed: ElementIterator {
        let base: ElementIterator
        let size: Int
        let dropRemainder: Bool

        init(base: ElementIterator, size: Int, dropRemainder: Bool) {
            self.base = base
            self.size = size
            self.dropRemainder = dropRemainder
        }

        func next() throws -> DataElement? {
            var elements: [DataElement] = []
            elements.reserveCapacity(size)
            while elements.count < size, let element = try base.next() { elements.append(element) }
            if elements.isEmpty || (dropRemainder && elements.count < size) { return nil }
            return try DataElement.stack(elements)
        }

        func skip(_ count: Int) throws -> Int {
            var skipped = 0
            while skipped < count {
                let taken = try base.skip(size)
                if taken == 0 || (dropRemainder && taken < size) { break }
                skipped += 1
            }
            return skipped
        }
    }
}

final class UnbatchNode: DatasetNode {
    let upstream: DatasetNode

    init(upstream: DatasetNode) { self.upstream = upstream }

    var depth: Int { upstream.depth + 1 }
    var cardinality: Cardinality { upstream.cardinality == .infinite ? .infinite : .unknown }

    func streamed(_ context: IterationContext) throws -> ElementIterator { Rows(base: try upstream.iterator(context)) }

    final class Rows: ElementIterator {
        let base: ElementIterator
        var current: DataElement?
        var rowCount = 0
        var row = 0

        init(base: ElementIterator) { self.base = base }

        func next() throws -> DataElement? {
            while current == nil || row == rowCount {
                guard let element = try base.next() else { return nil }
                current = element
                rowCount = try element.rowCount("Dataset.unbatch")
                row = 0
            }
            defer { row += 1 }
            return current!.row(row)
        }
    }
}
