extension Dataset {
    /// Tuples of the datasets' elements, side by side, as long as the shortest lasts.
    public static func zip(_ datasets: [Dataset]) throws -> Dataset {
        guard !datasets.isEmpty else { throw KeelError("Dataset.zip", expected: "at least one dataset", found: "none") }
        return Dataset(ZipNode(upstreams: datasets.map(\.node)))
    }

    /// This dataset's elements, then `other`'s; both must have one structure.
    public func concatenate(_ other: Dataset) -> Dataset { Dataset(ConcatenateNode(first: node, second: other.node)) }
}

final class ZipNode: DatasetNode {
    let upstreams: [DatasetNode]

    init(upstreams: [DatasetNode]) { self.upstreams = upstreams }

    var depth: Int { (upstreams.map(\.depth).max() ?? 0) + 1 }

    var cardinality: Cardinality {
        let all = upstreams.map(\.cardinality)
        let finite = all.compactMap(\.count)
        if let shortest = finite.min() { return all.contains(.unknown) && shortest > 0 ? .unknown : .finite(shortest) }
        return all.contains(.unknown) ? .unknown : .infinite
    }

    func indexed(_ context: IterationContext) throws -> IndexedElements? {
        var parts: [IndexedElements] = []
        for upstream in upstreams {
            guard let part = try upstream.indexed(context) else { return nil }
            parts.append(part)
        }
        return Zipped(parts: parts)
    }

    func streamed(_ context: IterationContext) throws -> ElementIterator {
        Streamed(parts: try upstreams.map { try $0.iterator(context) })
    }

    struct Zipped: IndexedElements {
        let parts: [IndexedElements]
        var count: Int { parts.map(\.count).min() ?? 0 }
        func element(at index: Int) throws -> DataElement { .tuple(try parts.map { try $0.element(at: index) }) }
        func batch(_ indices: [Int]) throws -> DataElement { .tuple(try parts.map { try $0.batch(indices) }) }
    }

    final class Streamed: ElementIterator {
        let parts: [ElementIterator]
        init(parts: [ElementIterator]) { self.parts = parts }
        func next() throws -> DataElement? {
            var items: [DataElement] = []
            for part in parts {
                guard let item = try part.next() else { return nil }
                items.append(item)
            }
            return .tuple(items)
        }
    }
}

final class ConcatenateNode: DatasetNode {
    let first: DatasetNode
    let second: DatasetNode

    init(first: DatasetNode, second: DatasetNode) {
        self.first = first
        self.second = second
    }

    var depth: Int { max(first.depth, second.depth) + 1 }

    var cardinality: Cardinality {
        switch (first.cardinality, second.cardinality) {
        case (.finite(let a), .finite(let b)): return .finite(a + b)
        case (.infinite, _), (.finite, .infinite): return .infinite
        default: return .unknown
        }
    }

    func streamed(_ context: IterationContext) throws -> ElementIterator {
        Chained(first: try first.iterator(context), makeSecond: { [second] in try second.iterator(context) })
    }

    final class Chained: ElementIterator {
        var first: ElementIterator?
        let makeSecond: () throws -> ElementIterator
        var second: ElementIterator?
        var structure: DataElement?

        init(first: ElementIterator, makeSecond: @escaping () throws -> ElementIterator) {
            self.first = first
            self.makeSecond = makeSecond
        }

        func next() throws -> DataElement? {
            if let first {
                if let element = try first.next() {
                    if structure == nil { structure = element }
                    return element
                }
                self.first = nil
                second = try makeSecond()
            }
            guard let element = try second?.next() else { return nil }
            if let structure, !element.hasSameStructure(as: structure) {
                throw KeelError("Dataset.concatenate", expected: "elements of one structure \(structure.kind)", found: element.kind)
            }
            return element
        }
    }
}
