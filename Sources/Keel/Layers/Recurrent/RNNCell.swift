/// What `RNN` runs at every time step (Keras's RNN cell contract): a layer with states of fixed
/// sizes that maps one step's input (batch, features) and the states to an output and new
/// states. A plugin's cell subclasses this, overrides `stateSizes` (and `outputSize` when the
/// output is not the first state's size), `build` and `step`, and works inside `RNN(cell)`,
/// `StackedRNNCells` and `Bidirectional` like the built-in ones.
///
/// The sequence hooks (`beginSequence`, `projectSequence`, `step(projected:)`, `endSequence`)
/// are optional: the built-in cells use them to multiply the inputs of every time step by the
/// kernel in one matrix product before the loop, and to draw their dropout masks once per call.
open class RNNCell: Layer {
    /// The size of each state, (batch, size) each: [units] for SimpleRNN and GRU, [units, units]
    /// (h, c) for LSTM; StackedRNNCells lists its cells' states in order.
    open var stateSizes: [Int] { OpCheck.fail("\(type(of: self)) must override stateSizes") }

    /// The size of a step's output; by default the first state's.
    open var outputSize: Int { stateSizes[0] }

    /// One time step: `input` (batch, features) and the states give the output (batch,
    /// outputSize) and the new states, in the order and sizes of `stateSizes`.
    open func step(_ input: Tensor, states: [Tensor], training: Bool) -> (output: Tensor, states: [Tensor]) {
        OpCheck.fail("\(type(of: self)) must override step(_:states:training:)")
    }

    /// Called once before the steps of a sequence of `batchSize` rows with `inputSize` features:
    /// the place to draw dropout masks shared by every step (as Keras's DropoutRNNCell does).
    open func beginSequence(batchSize: Int, inputSize: Int, training: Bool) {}

    /// What `step(projected:)` receives for every time step, computed for the whole sequence
    /// (batch, time, features) at once. The default passes the sequence through.
    open func projectSequence(_ sequence: Tensor, training: Bool) -> Tensor { sequence }

    /// One step on a time slice of `projectSequence`'s result. The default is `step`.
    open func step(projected input: Tensor, states: [Tensor], training: Bool) -> (output: Tensor, states: [Tensor]) {
        step(input, states: states, training: training)
    }

    /// Called once after the steps of a sequence (drops what `beginSequence` made).
    open func endSequence() {}

    /// The states a sequence starts from without an `initial_state`: zeros.
    open func initialStates(batchSize: Int) -> [Tensor] {
        stateSizes.map { Tensor.zeros([batchSize, $0]) }
    }

    /// The state a masked step repeats as its output (Keras: the first state; for stacked cells
    /// the last cell's first state).
    open func previousOutput(in states: [Tensor]) -> Tensor { states[0] }

    /// A cell is built for one step's input, (batch, features).
    open override func outputShape(for inputShapes: [[Int?]]) throws -> [Int?] {
        let shape = try singleInput(inputShapes, rank: 2...2)
        return [shape[0], outputSize]
    }

    open override func call(_ input: Tensor, training: Bool) -> Tensor {
        OpCheck.fail("\(nameForMessages) is a cell: run it inside an RNN layer, or call step(_:states:training:)")
    }
}

/// The dropout of Keras's DropoutRNNCell: one mask for the inputs and one for the recurrent
/// state, drawn when a sequence begins (training only, rate strictly between 0 and 1) and shared
/// by all its steps and by the gates. Keras with `recurrent_dropout` draws one mask per gate
/// (its implementation 1); Keel shares one, which keeps one recurrent product per step.
struct RecurrentDropoutMasks {
    var input: Tensor?
    var recurrent: Tensor?

    mutating func draw(batchSize: Int, inputSize: Int, units: Int, dropout: Double, recurrentDropout: Double,
                       training: Bool, generator: RandomGenerator) {
        input = training && dropout > 0 && dropout < 1
            ? Self.mask([batchSize, inputSize], rate: dropout, generator: generator) : nil
        recurrent = training && recurrentDropout > 0 && recurrentDropout < 1
            ? Self.mask([batchSize, units], rate: recurrentDropout, generator: generator) : nil
    }

    private static func mask(_ shape: [Int], rate: Double, generator: RandomGenerator) -> Tensor {
        let keep = Float(1 - rate)
        return generator.bernoulli(shape, probability: keep, value: 1 / keep)
    }

    /// The inputs times the input mask: one step (batch, features) or a sequence (batch, time,
    /// features), whose steps share the mask.
    func maskedInput(_ x: Tensor) -> Tensor {
        guard let input else { return x }
        return x.rank == 3 ? x * input.expandingDims(at: 1) : x * input
    }

    func maskedState(_ h: Tensor) -> Tensor {
        guard let recurrent else { return h }
        return h * recurrent
    }
}

/// Keras clamps an RNN cell's dropout rates into [0, 1] and writes the clamped value.
func clampedRate(_ rate: Double) -> Double { min(1, max(0, rate)) }
