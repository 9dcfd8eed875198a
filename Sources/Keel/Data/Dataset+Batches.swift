/// Datasets as a model reads them: each element is one batch in Keras's layout, `(x, y)` or
/// `(x, y, sample_weight)` or `(x,)`, or just `x` when the element is not a tuple. `x` (and `y`)
/// is an array, a tuple of arrays in the model's input (output) order, or a dictionary keyed by
/// input (output) names. uint8 arrays become float32 here, a batch at a time.
extension Dataset {
    /// In-memory samples `(x, y, sampleWeight)` cut into batches of `batchSize`, reshuffled every
    /// iteration when `shuffle` (today's shorthand for
    /// `fromTensorSlices(...).shuffle(bufferSize: count).batch(batchSize)`).
    public convenience init(x: [Tensor], y: [Tensor] = [], sampleWeight: Tensor? = nil, batchSize: Int = 32,
                            shuffle: Bool = false) throws {
        var data = try Dataset.fromTensorSlices(Dataset.sampleElement(x: x, y: y, sampleWeight: sampleWeight))
        if shuffle, let count = data.cardinality.count, count > 0 { data = try data.shuffle(bufferSize: count) }
        self.init(try data.batch(batchSize).node)
    }

    /// The element `(x, y, sampleWeight)` of in-memory arrays, one tensor or a tuple per side
    /// (`(x,)` when there are no targets, so a tuple of inputs is not read as `(x, y)`).
    static func sampleElement(x: [Tensor], y: [Tensor], sampleWeight: Tensor?) -> DataElement {
        func side(_ tensors: [Tensor]) -> DataElement {
            tensors.count == 1 ? .tensor(tensors[0]) : .tuple(tensors.map { .tensor($0) })
        }
        var items = [side(x)]
        if !y.isEmpty || sampleWeight != nil { items.append(side(y)) }
        if let sampleWeight { items.append(.tensor(sampleWeight)) }
        return .tuple(items)
    }

    /// One iteration as `Batch`es for a hand-written loop; `generator` seeds its random stages.
    /// `model` names the inputs and outputs of dictionary elements, and each batch is checked
    /// against its inputs and outputs (a clear error instead of a failing step).
    public func batches(generator: RandomGenerator = KeelRandom.generator, model: Model? = nil) throws -> BatchIterator {
        try batches(IterationContext(seed: generator.nextSeed(), epoch: nextIterationNumber()), model: model, check: true)
    }

    /// `check` false: the caller has checked the data already (in-memory arrays, checked whole).
    func batches(_ context: IterationContext, model: Model?, check: Bool) throws -> BatchIterator {
        BatchIterator(try makeIterator(context), model: model, check: check)
    }
}

/// Steps through a dataset's batches (see `Dataset.batches`).
public final class BatchIterator {
    let elements: DatasetIterator
    let model: Model?
    let check: Bool

    init(_ elements: DatasetIterator, model: Model?, check: Bool) {
        self.elements = elements
        self.model = model
        self.check = check
    }

    /// Batches handed out so far.
    public var position: Int { elements.position }

    public func next() throws -> Batch? {
        guard let element = try elements.next() else { return nil }
        let batch = try Batch(element, model: model)
        if check, let model {
            try DataValidation.check(x: batch.x, y: batch.y.isEmpty ? nil : batch.y, sampleWeight: batch.sampleWeight,
                                     model: model, what: "dataset batch \(elements.position - 1)")
        }
        return batch
    }

    /// Passes over `count` batches (cheaply for in-memory data).
    @discardableResult
    public func skip(_ count: Int) throws -> Int { try elements.skip(count) }
}

extension Batch {
    /// A dataset element read as Keras reads one: `(x, y, sample_weight)`, `(x, y)`, `(x,)` or `x`.
    init(_ element: DataElement, model: Model?) throws {
        var parts: [DataElement] = [element]
        if case .tuple(let items) = element, (1...3).contains(items.count) { parts = items }
        let x = try Batch.arrays(parts[0], side: "inputs", order: { try model?.orderedInputs($0, for: "dataset") })
        let y = parts.count > 1
            ? try Batch.arrays(parts[1], side: "targets", order: { try model?.orderedTargets($0, for: "dataset") })
            : []
        let weight = parts.count > 2 ? try parts[2].tensor("dataset sample weights") : nil
        self.init(x: x, y: y, sampleWeight: weight)
        guard x.allSatisfy({ $0.shape.first == size }), y.allSatisfy({ $0.shape.first == size }),
              weight.map({ $0.shape.first == size }) ?? true else {
            throw KeelError("dataset element \(element.kind)",
                            expected: "a batch: arrays with one first dimension (call batch() on the dataset)",
                            found: "first dimensions \((x + y + (weight.map { [$0] } ?? [])).map { $0.shape.first ?? 0 })")
        }
    }

    private static func arrays(_ part: DataElement, side: String, order: ([String: Tensor]) throws -> [Tensor]?) throws -> [Tensor] {
        switch part {
        case .tensor, .bytes, .strings: return [try part.tensor("dataset \(side)")]
        case .tuple(let items): return try items.map { try $0.tensor("dataset \(side)") }
        case .dict(let pairs):
            var named: [String: Tensor] = [:]
            for pair in pairs { named[pair.key] = try pair.value.tensor("dataset \(side) '\(pair.key)'") }
            guard let ordered = try order(named) else {
                throw KeelError("dataset \(side) \(part.kind)", expected: "a model that names its \(side)", found: "no model")
            }
            return ordered
        }
    }
}

extension Dataset {
    /// The first input of every batch of one unshuffled iteration, as the sequence a layer's
    /// `adapt(batches:)` reads; a failure while reading ends the sequence and is thrown here.
    func withInputBatches<R>(_ body: (AnySequence<Tensor>) throws -> R) throws -> R {
        let batches = try batches(IterationContext(seed: 0, epoch: 0), model: nil, check: false)
        var failure: Error?
        let inputs = AnySequence {
            AnyIterator { () -> Tensor? in
                guard failure == nil else { return nil }
                do { return try batches.next()?.x.first } catch { failure = error; return nil }
            }
        }
        let result = try body(inputs)
        if let failure { throw failure }
        return result
    }
}
