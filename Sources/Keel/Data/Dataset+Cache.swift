import Foundation

extension Dataset {
    /// Keeps the elements of the first complete iteration and replays them afterwards (tf.data's
    /// `cache`): in memory, or in `file` when one is named, which later runs read instead of
    /// recomputing. The file is written under a temporary name and renamed into place only when
    /// the iteration completes, so an interrupted first pass leaves no partial cache. Random
    /// stages before the cache run once; put `shuffle` after it.
    public func cache(file: String? = nil) -> Dataset {
        Dataset(CacheNode(upstream: node, file: file))
    }
}

final class CacheNode: DatasetNode {
    let upstream: DatasetNode
    let file: String?
    private var stored: [DataElement]?

    init(upstream: DatasetNode, file: String?) {
        self.upstream = upstream
        self.file = file
    }

    var depth: Int { upstream.depth + 1 }
    var cardinality: Cardinality { stored.map { .finite($0.count) } ?? upstream.cardinality }

    func indexed(_ context: IterationContext) throws -> IndexedElements? {
        if file == nil, let stored { return Stored(elements: stored) }
        return nil
    }

    func streamed(_ context: IterationContext) throws -> ElementIterator {
        if let file {
            if FileManager.default.fileExists(atPath: file) { return try CacheFileReader(path: file) }
            return Recording(base: try upstream.iterator(context), writer: try CacheFileWriter(path: file), finish: { _ in })
        }
        return Recording(base: try upstream.iterator(context), writer: nil, finish: { [weak self] elements in
            self?.stored = elements
        })
    }

    struct Stored: IndexedElements {
        let elements: [DataElement]
        var count: Int { elements.count }
        func element(at index: Int) throws -> DataElement { elements[index] }
    }

    /// Passes the upstream's elements on and keeps them; at the end hands them over (memory) or
    /// completes the file.
    final class Recording: ElementIterator {
        let base: ElementIterator
        let writer: CacheFileWriter?
        let finish: ([DataElement]) -> Void
        var kept: [DataElement] = []
        var done = false

        init(base: ElementIterator, writer: CacheFileWriter?, finish: @escaping ([DataElement]) -> Void) {
            self.base = base
            self.writer = writer
            self.finish = finish
        }

        func next() throws -> DataElement? {
            guard !done else { return nil }
            guard let element = try base.next() else {
                done = true
                if let writer { try writer.complete() } else { finish(kept) }
                return nil
            }
            if let writer { try writer.append(element) } else { kept.append(element) }
            return element
        }
    }
}
