/// `fit`, `evaluate` and `predict` with data given by name, as Keras takes a dict for a
/// multi-input model: inputs keyed by their Input's name, targets by their output layer's name.
/// Every name must be given exactly: a missing one, or one the model does not have (a typo
/// Keras would silently drop or fail on deep inside), is a KeelError listing the model's names.
extension Model {
    @discardableResult
    public func fit(_ x: [String: Tensor], _ y: [String: Tensor], batchSize: Int = 32, epochs: Int = 1,
                    verbose: Verbosity = .auto, callbacks: [Callback] = [], validationSplit: Double = 0,
                    shuffle: Bool = true, sampleWeight: Tensor? = nil, initialEpoch: Int = 0) throws -> History {
        try fit(try orderedInputs(x, for: "fit"), try orderedTargets(y, for: "fit"), batchSize: batchSize, epochs: epochs,
                verbose: verbose, callbacks: callbacks, validationSplit: validationSplit, shuffle: shuffle,
                sampleWeight: sampleWeight, initialEpoch: initialEpoch)
    }

    /// Named inputs with targets in output order.
    @discardableResult
    public func fit(_ x: [String: Tensor], _ y: [Tensor], batchSize: Int = 32, epochs: Int = 1,
                    verbose: Verbosity = .auto, callbacks: [Callback] = [], validationSplit: Double = 0,
                    shuffle: Bool = true, sampleWeight: Tensor? = nil, initialEpoch: Int = 0) throws -> History {
        try fit(try orderedInputs(x, for: "fit"), y, batchSize: batchSize, epochs: epochs, verbose: verbose,
                callbacks: callbacks, validationSplit: validationSplit, shuffle: shuffle, sampleWeight: sampleWeight,
                initialEpoch: initialEpoch)
    }

    @discardableResult
    public func evaluate(_ x: [String: Tensor], _ y: [String: Tensor], batchSize: Int = 32, verbose: Verbosity = .auto,
                         callbacks: [Callback] = [], sampleWeight: Tensor? = nil) throws -> [String: Double] {
        try evaluate(try orderedInputs(x, for: "evaluate"), try orderedTargets(y, for: "evaluate"), batchSize: batchSize,
                     verbose: verbose, callbacks: callbacks, sampleWeight: sampleWeight)
    }

    /// Named inputs with targets in output order (one tensor for a single-output model).
    @discardableResult
    public func evaluate(_ x: [String: Tensor], _ y: [Tensor], batchSize: Int = 32, verbose: Verbosity = .auto,
                         callbacks: [Callback] = [], sampleWeight: Tensor? = nil) throws -> [String: Double] {
        try evaluate(try orderedInputs(x, for: "evaluate"), y, batchSize: batchSize, verbose: verbose,
                     callbacks: callbacks, sampleWeight: sampleWeight)
    }

    /// One tensor per model output, in output order.
    public func predict(_ x: [String: Tensor], batchSize: Int = 32, verbose: Verbosity = .auto,
                        callbacks: [Callback] = []) throws -> [Tensor] {
        try predict(try orderedInputs(x, for: "predict"), batchSize: batchSize, verbose: verbose, callbacks: callbacks)
    }

    public func predictOnBatch(_ x: [String: Tensor]) throws -> [Tensor] {
        try predictOnBatch(try orderedInputs(x, for: "predictOnBatch"))
    }

    /// The names inputs are keyed by: each Input's name, in the model's input order.
    public var inputNames: [String] { inputs.map { $0.layer?.name ?? "" } }

    /// Inputs given by name, in the model's input order.
    func orderedInputs(_ named: [String: Tensor], for what: String) throws -> [Tensor] {
        guard isFunctional else {
            throw KeelError("\(what) with named inputs on \(nameForMessages)",
                            expected: "a Functional model, or a Sequential one whose input shape is known",
                            found: "a model without named Input tensors")
        }
        return try ordered(named, names: inputNames, kind: "inputs", for: what)
    }

    /// Targets given by output name, in the model's output order.
    func orderedTargets(_ named: [String: Tensor], for what: String) throws -> [Tensor] {
        try ordered(named, names: outputNames, kind: "targets", for: what)
    }

    private func ordered(_ named: [String: Tensor], names: [String], kind: String, for what: String) throws -> [Tensor] {
        let owner = "\(what) \(kind) of model '\(name)'"
        let listed = names.map { "'\($0)'" }.joined(separator: ", ")
        if let unknown = named.keys.sorted().first(where: { !names.contains($0) }) {
            throw KeelError(owner, expected: "names among \(listed)", found: "unknown name '\(unknown)'")
        }
        return try names.map { name in
            guard let tensor = named[name] else {
                throw KeelError(owner, expected: "an array for each of \(listed)", found: "none for '\(name)'")
            }
            return tensor
        }
    }
}
