import Foundation

extension Dataset {
    /// Prepares up to `bufferSize` elements ahead on a background thread while the consumer works
    /// on the current one (tf.data's `prefetch`); nil picks 2. Order and values are unchanged.
    public func prefetch(_ bufferSize: Int? = nil) throws -> Dataset {
        let size = bufferSize ?? 2
        guard size > 0 else {
            throw KeelError("Dataset.prefetch(\(size))", expected: "a buffer of at least 1 element", found: "\(size)")
        }
        return Dataset(PrefetchNode(upstream: node, bufferSize: size))
    }
}

final class PrefetchNode: DatasetNode {
    let upstream: DatasetNode
    let bufferSize: Int

    init(upstream: DatasetNode, bufferSize: Int) {
        self.upstream = upstream
        self.bufferSize = bufferSize
    }

    var depth: Int { upstream.depth + 1 }
    var cardinality: Cardinality { upstream.cardinality }

    func streamed(_ context: IterationContext) throws -> ElementIterator {
        Prefetched(base: try upstream.iterator(context), bufferSize: bufferSize)
    }

    /// The producer thread fills `queue`; `next` takes from it. Skipping first drains what was
    /// prepared, then skips in the upstream (the producer waits meanwhile).
    final class Prefetched: ElementIterator {
        private let shared: Shared

        init(base: ElementIterator, bufferSize: Int) {
            shared = Shared(base: base, bufferSize: bufferSize)
        }

        deinit { shared.cancel() }

        func next() throws -> DataElement? { try shared.take() }

        func skip(_ count: Int) throws -> Int { try shared.skip(count) }
    }

    final class Shared: @unchecked Sendable {
        let base: ElementIterator
        let bufferSize: Int
        let condition = NSCondition()
        var queue: [Result<DataElement, Error>] = []
        var finished = false
        var cancelled = false
        var producing = false
        /// Set while the consumer skips in the upstream itself (the producer must not pull then).
        var consumerOwnsBase = false
        /// Set while the producer is inside `base.next()`.
        var pulling = false

        init(base: ElementIterator, bufferSize: Int) {
            self.base = base
            self.bufferSize = bufferSize
        }

        private func startIfNeeded() {
            guard !producing, !finished else { return }
            producing = true
            let thread = Thread { [self] in produce() }
            thread.stackSize = 8 << 20
            thread.start()
        }

        private func produce() {
            while true {
                condition.lock()
                while !cancelled && (queue.count >= bufferSize || consumerOwnsBase) { condition.wait() }
                if cancelled { producing = false; condition.unlock(); return }
                pulling = true
                condition.unlock()
                let result = Result { try base.next() }
                condition.lock()
                pulling = false
                switch result {
                case .success(let element?): queue.append(.success(element))
                case .success(nil): finished = true
                case .failure(let error): queue.append(.failure(error)); finished = true
                }
                let done = finished
                if done { producing = false }
                condition.broadcast()
                condition.unlock()
                if done { return }
            }
        }

        func take() throws -> DataElement? {
            condition.lock()
            defer { condition.unlock() }
            if queue.isEmpty && !finished { startIfNeeded() }
            while queue.isEmpty && !finished { condition.wait() }
            guard !queue.isEmpty else { return nil }
            let result = queue.removeFirst()
            condition.broadcast()
            return try result.get()
        }

        func skip(_ count: Int) throws -> Int {
            condition.lock()
            // No pull may be in flight while the consumer skips in the upstream itself.
            consumerOwnsBase = true
            while pulling { condition.wait() }
            defer {
                consumerOwnsBase = false
                condition.broadcast()
                condition.unlock()
            }
            var skipped = 0
            while skipped < count, !queue.isEmpty {
                _ = try queue.removeFirst().get()
                skipped += 1
            }
            guard skipped < count, !finished else { return skipped }
            return skipped + (try base.skip(count - skipped))
        }

        func cancel() {
            condition.lock()
            cancelled = true
            condition.broadcast()
            condition.unlock()
        }
    }
}
