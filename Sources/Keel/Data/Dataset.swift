import Foundation

/// An input pipeline shaped like tf.data: a source (`fromTensorSlices`, `fromGenerator`, the file
/// readers) followed by transformations (`map`, `filter`, `shuffle`, `batch`, `unbatch`, `repeat`,
/// `take`, `skip`, `shard`, `cache`, `prefetch`, `zip`, `concatenate`), each returning a new dataset.
/// Nothing is computed until the dataset is iterated; every iteration starts from the beginning.
///
/// Random transformations draw from the iteration's seed: `fit` takes one from the model's random
/// generator at each epoch (so a run's snapshot of that generator replays the same orders), a plain
/// iteration from Keel's global generator. A `shuffle(seed:)` of its own is the same for a given
/// seed and iteration number, as tf.data's seeded shuffle is.
public final class Dataset {
    let node: DatasetNode
    /// Iterations started outside `fit`, so each one reshuffles.
    private var iterationsStarted = 0

    init(_ node: DatasetNode) { self.node = node }

    func nextIterationNumber() -> Int {
        defer { iterationsStarted += 1 }
        return iterationsStarted
    }

    /// How many elements one iteration yields, when known without iterating.
    public var cardinality: Cardinality { node.cardinality }

    /// A new iteration from the first element.
    public func makeIterator() throws -> DatasetIterator {
        try makeIterator(IterationContext(seed: KeelRandom.generator.nextSeed(), epoch: nextIterationNumber()))
    }

    func makeIterator(_ context: IterationContext) throws -> DatasetIterator {
        DatasetIterator(try node.iterator(context))
    }

    /// Every element of one iteration, in order.
    public func collect() throws -> [DataElement] {
        let iterator = try makeIterator()
        var all: [DataElement] = []
        while let element = try iterator.next() { all.append(element) }
        return all
    }

    /// Calls `body` with every element of one iteration, in order.
    public func forEach(_ body: (DataElement) throws -> Void) throws {
        let iterator = try makeIterator()
        while let element = try iterator.next() { try body(element) }
    }

    // MARK: sources

    /// One element per row of the first axis of every array (tf.data's `from_tensor_slices`):
    /// `fromTensorSlices(.tuple([.tensor(x), .tensor(y)]))` yields (x[i], y[i]).
    public static func fromTensorSlices(_ element: DataElement) throws -> Dataset {
        Dataset(TensorSlicesNode(element: element, count: try element.rowCount("Dataset.fromTensorSlices")))
    }

    /// The elements a generator yields, a new generator for every iteration (tf.data's
    /// `from_generator`). `cardinality` is what the generator will yield when it is known.
    public static func fromGenerator(cardinality: Int? = nil,
                                     _ makeGenerator: @escaping () throws -> AnyIterator<DataElement>) -> Dataset {
        Dataset(GeneratorNode(make: makeGenerator, count: cardinality))
    }

    /// The elements of a Swift sequence, the same every iteration.
    public static func fromSequence<S: Sequence>(_ sequence: S) -> Dataset where S.Element == DataElement {
        let elements = Array(sequence)
        return Dataset(GeneratorNode(make: { AnyIterator(elements.makeIterator()) }, count: elements.count))
    }
}

/// Steps through one iteration of a dataset.
public final class DatasetIterator {
    private let source: ElementIterator
    /// Elements handed out so far.
    public private(set) var position = 0

    init(_ source: ElementIterator) { self.source = source }

    /// The next element, nil at the end.
    public func next() throws -> DataElement? {
        guard let element = try source.next() else { return nil }
        position += 1
        return element
    }

    /// Passes over `count` elements (cheaply where the source can index), so an iteration can
    /// continue where an interrupted one stopped. Returns how many were skipped.
    @discardableResult
    public func skip(_ count: Int) throws -> Int {
        let skipped = try source.skip(count)
        position += skipped
        return skipped
    }
}

/// How many elements a dataset yields.
public enum Cardinality: Equatable, CustomStringConvertible {
    case finite(Int)
    case infinite
    case unknown

    public var count: Int? { if case .finite(let n) = self { return n } else { return nil } }

    public var description: String {
        switch self {
        case .finite(let n): return "\(n)"
        case .infinite: return "infinite"
        case .unknown: return "unknown"
        }
    }
}

/// The randomness of one iteration: a random node derives its generator from `seed`, or from a
/// seed of its own and `epoch`, so an iteration is a function of these two numbers.
struct IterationContext {
    /// Drawn afresh for each iteration (from fit's generator or the caller's): stages without a
    /// seed of their own take their randomness from it alone, so an iteration's order follows the
    /// generator and resumes with it.
    var seed: UInt64
    /// Which iteration this is (fit's epoch, or the count of iterations the dataset has started):
    /// it gives a stage with a seed of its own (`shuffle(seed:)`) a new order each iteration.
    var epoch: Int

    /// A seed for the node at `depth`, different for each node and iteration.
    func seed(forDepth depth: Int, own: UInt64?) -> UInt64 {
        guard let own else { return SeedMixing.mix(seed, UInt64(depth)) }
        return SeedMixing.mix(own, UInt64(truncatingIfNeeded: epoch) &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(depth))
    }

    /// The context of repetition `repetition` of the stages before a `repeat(count)` (nil count:
    /// for ever), so that random stages draw a new order each time.
    func repeating(_ repetition: Int, of count: Int?) -> IterationContext {
        IterationContext(seed: SeedMixing.mix(seed, UInt64(truncatingIfNeeded: repetition) &+ 0x5851_F42D_4C95_7F2D),
                         epoch: epoch &* (count ?? (1 << 20)) &+ repetition)
    }
}

enum SeedMixing {
    /// SplitMix64's finaliser over the two words: well spread seeds from neighbouring inputs.
    static func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
        var z = a &+ b &* 0xBF58_476D_1CE4_E5B9 &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A stage of a pipeline.
protocol DatasetNode: AnyObject {
    var cardinality: Cardinality { get }
    /// Position in the pipeline (sources 0), to give each random stage its own seed.
    var depth: Int { get }
    /// The elements of this iteration by index, when this stage and those before it can give
    /// them without iterating (in-memory slices and what maps, shuffles, batches or cuts them).
    func indexed(_ context: IterationContext) throws -> IndexedElements?
    /// Streams the elements; `iterator` asks for it only when `indexed` gives none.
    func streamed(_ context: IterationContext) throws -> ElementIterator
}

extension DatasetNode {
    func indexed(_ context: IterationContext) throws -> IndexedElements? { nil }

    func streamed(_ context: IterationContext) throws -> ElementIterator {
        OpCheck.fail("\(type(of: self)) gives neither indexed elements nor a stream")
    }

    /// The elements of one iteration: walked by index where the stages allow it (cheap skips,
    /// batches gathered in one step), streamed otherwise.
    func iterator(_ context: IterationContext) throws -> ElementIterator {
        if let indexed = try indexed(context) { return IndexedIterator(indexed) }
        return try streamed(context)
    }
}

/// Elements that can be fetched by position.
protocol IndexedElements {
    var count: Int { get }
    func element(at index: Int) throws -> DataElement
    /// The elements at `indices` stacked into one batch (sources gather rows directly).
    func batch(_ indices: [Int]) throws -> DataElement
}

extension IndexedElements {
    func batch(_ indices: [Int]) throws -> DataElement { try DataElement.stack(indices.map { try element(at: $0) }) }
}

/// One element after another.
protocol ElementIterator: AnyObject {
    func next() throws -> DataElement?
    /// Skips up to `count` elements; returns how many were skipped.
    func skip(_ count: Int) throws -> Int
}

extension ElementIterator {
    func skip(_ count: Int) throws -> Int {
        var skipped = 0
        while skipped < count, try next() != nil { skipped += 1 }
        return skipped
    }
}

final class IndexedIterator: ElementIterator {
    let elements: IndexedElements
    var index = 0

    init(_ elements: IndexedElements) { self.elements = elements }

    func next() throws -> DataElement? {
        guard index < elements.count else { return nil }
        defer { index += 1 }
        return try elements.element(at: index)
    }

    func skip(_ count: Int) throws -> Int {
        let skipped = max(0, min(count, elements.count - index))
        index += skipped
        return skipped
    }
}

// MARK: sources

final class TensorSlicesNode: DatasetNode, IndexedElements {
    let element: DataElement
    let count: Int
    var depth: Int { 0 }

    init(element: DataElement, count: Int) {
        self.element = element
        self.count = count
    }

    var cardinality: Cardinality { .finite(count) }
    func indexed(_ context: IterationContext) throws -> IndexedElements? { self }
    func element(at index: Int) throws -> DataElement { element.row(index) }
    func batch(_ indices: [Int]) throws -> DataElement { element.rows(indices) }
}

final class GeneratorNode: DatasetNode {
    let make: () throws -> AnyIterator<DataElement>
    let count: Int?
    var depth: Int { 0 }

    init(make: @escaping () throws -> AnyIterator<DataElement>, count: Int?) {
        self.make = make
        self.count = count
    }

    var cardinality: Cardinality { count.map { .finite($0) } ?? .unknown }

    func streamed(_ context: IterationContext) throws -> ElementIterator { Generated(try make()) }

    final class Generated: ElementIterator {
        var base: AnyIterator<DataElement>
        init(_ base: AnyIterator<DataElement>) { self.base = base }
        func next() throws -> DataElement? { base.next() }
    }
}
